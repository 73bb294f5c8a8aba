"""casedesk: sign-in gate and role-based navigation."""

from __future__ import annotations

import json
import os
from urllib.parse import urlencode

# Imported here, before any page runs: Streamlit runs each session's script in its own thread,
# and plotly picks pandas out of sys.modules without importing it, so a chart drawn while
# another session is still importing pandas got a half-initialised module (AttributeError
# « partially initialized module 'pandas' » in the dashboard under load).
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

from case_core import migrations
from case_core.accounts import auth, sessions
from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.db import shared_reads
from case_core.kernel.errors import AuthError, CaseError
from case_core.kernel.logs import setup_logging
from case_core.kernel.navigation import PAGES, PageSpec, pages_for, sections_for
from case_core.kernel.permissions import Perm, can
from case_core.kernel.settings import set_settings
from case_core.letters import service as letters
from case_core.models import utcnow
from case_core.statement import rates
from pages.components.session import ACTOR_KEY, RATES_REVISION_KEY, show_case_error

# Set right after the first administrator is created: the next screen asks for the
# identity letters carry (R124-4 CPCE), skippable.
FIRST_RUN_KEY = "_first_run_identity"
IDENTITY_FIELDS = [
    (letters.SENDER_NAME, "Nom de l'organisation (expéditeur des courriers)"),
    (letters.SENDER_ADDRESS, "Adresse postale de l'expéditeur"),
    (letters.SENDER_CITY, "Ville indiquée avant la date (« Paris, le … »)"),
    (letters.SIGNATORY, "Personne responsable du recouvrement (signataire)"),
]

LAST_SEEN_KEY = "last_activity"
SIGNED_IN_AT_KEY = "signed_in_at"
# The kept session (cookie) this browser session stands for, when server.py runs the app.
KEPT_ID_KEY = "_kept_session_id"
KEPT_TOUCHED_KEY = "_kept_session_touched"
HANDOFF_KEY = "_kept_session_handoff"
GATE_PATH_KEY = "_gate_path"  # the page address the sign-in form was shown at
SESSION_ROUTE = "/_casedesk/session"

st.set_page_config(page_title="casedesk", page_icon=":material/gavel:", layout="wide")
setup_logging()


class _SchemaNotReady(Exception):
    """The database is not at this version's schema; the message says what to do."""


@st.cache_resource(show_spinner="Préparation de la base…")
def _schema_ready(url: str) -> str:
    """Once per process and database (a failure is not cached: the next run checks again).

    The embedded SQLite default migrates itself; a shared PostgreSQL database is migrated
    by `casedesk db upgrade`, a step of its own, never by a replica behind a spinner."""
    if url.startswith("sqlite"):
        migrations.upgrade(url)
        return url
    current, head = migrations.current_revision(url), migrations.head_revision()
    if current == head:
        return url
    if current in migrations.revisions() or current is None:
        raise _SchemaNotReady(
            f"La base de données n'est pas à jour (révision {current or 'vide'}, cette "
            f"version de casedesk attend {head}). Un administrateur doit lancer "
            "`casedesk db upgrade`, puis recharger cette page."
        )
    raise _SchemaNotReady(
        f"La base de données est à une révision ({current}) que cette version de casedesk "
        "ne connaît pas : elle a été mise à jour par une version plus récente. "
        "Déployez la même version sur chaque réplica."
    )


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _kept_sessions() -> bool:
    """server.py runs the app: its route can set the cookie that survives a reload."""
    return os.environ.get("CASEDESK_KEPT_SESSIONS") == "1"


def _sign_in(actor: Actor, keep: bool = False) -> None:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[LAST_SEEN_KEY] = st.session_state[SIGNED_IN_AT_KEY] = utcnow()
    if keep and _kept_sessions():
        kept_id, code = sessions.open_handoff(actor)
        st.session_state[KEPT_ID_KEY] = kept_id
        st.session_state[HANDOFF_KEY] = code


def _sign_out(message: str | None = None) -> None:
    kept_id = st.session_state.get(KEPT_ID_KEY)
    if kept_id is not None:
        sessions.revoke(kept_id)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if message:
        st.session_state["_signed_out_message"] = message


def _resume_kept_session() -> None:
    """A reload or a second tab: the browser's cookie signs the user in again, as the
    account is stored now (a revoked session, or one an administrator ended, does not)."""
    if not _kept_sessions():
        return
    try:
        kept = sessions.resume(st.context.cookies.get(sessions.COOKIE_NAME) or "")
    except AuthError as exc:
        st.session_state["_signed_out_message"] = exc.message
        return
    if kept is None:
        return
    st.session_state[ACTOR_KEY] = kept.actor
    st.session_state[SIGNED_IN_AT_KEY] = kept.signed_in_at
    st.session_state[LAST_SEEN_KEY] = st.session_state[KEPT_TOUCHED_KEY] = utcnow()
    st.session_state[KEPT_ID_KEY] = kept.id


def _hand_over_to_cookie() -> bool:
    """Right after the sign-in form: send the browser to the route that sets the cookie,
    then back to the page it asked for (a reload, signed in from the cookie)."""
    code = st.session_state.pop(HANDOFF_KEY, None)
    if not code:
        return False
    # The address the user asked for, deep-link parameters included (?case=…).
    query = urlencode(st.query_params.to_dict())
    path = st.session_state.pop(GATE_PATH_KEY, "")
    back = f"/{path}" + (f"?{query}" if query else "")
    target = f"{SESSION_ROUTE}?{urlencode({'code': code, 'next': back or '/'})}"
    st.html(
        f"<script>window.location.replace({json.dumps(target)});</script>",
        unsafe_allow_javascript=True,
    )
    st.link_button("Continuer", target, type="primary")
    return True


def first_admin_page() -> None:
    st.title("Bienvenue dans casedesk")
    st.info("Aucun administrateur n'existe encore : créez le premier compte administrateur.")
    with st.form("first_admin"):
        full_name = st.text_input("Nom complet")
        email = st.text_input("E-mail")
        password = st.text_input(
            f"Mot de passe ({auth.MIN_PASSWORD_LENGTH} caractères au moins)", type="password"
        )
        confirm = st.text_input("Confirmez le mot de passe", type="password")
        submitted = st.form_submit_button("Créer l'administrateur", type="primary")
    if submitted:
        if password != confirm:
            st.error("La confirmation ne correspond pas au mot de passe.")
            return
        try:
            _sign_in(auth.create_first_admin(email, full_name, password))
        except CaseError as exc:
            show_case_error(exc)
            return
        st.session_state[FIRST_RUN_KEY] = True
        st.rerun()


def identity_page() -> None:
    """Second step of the first run: who sends the letters. Skippable; until it is
    filled every letter is refused with the name of the missing setting."""
    actor = st.session_state[ACTOR_KEY]
    st.title("Identité de l'organisation")
    st.info(
        "Ces informations figurent sur chaque courrier de recouvrement (article R124-4 du "
        "code des procédures civiles d'exécution). Vous pourrez les modifier plus tard dans "
        "Paramètres → Courriers."
    )
    with st.form("first_run_identity"):
        typed: dict[str, str] = {}
        for key, label in IDENTITY_FIELDS:
            # The address keeps its lines, as on an envelope.
            widget = st.text_area if key == letters.SENDER_ADDRESS else st.text_input
            typed[key] = widget(label)
        col_save, col_skip = st.columns(2)
        saved = col_save.form_submit_button("Enregistrer", type="primary")
        skipped = col_skip.form_submit_button("Plus tard")
    if skipped:
        del st.session_state[FIRST_RUN_KEY]
        st.rerun()
    if saved:
        values = {key: value.strip() for key, value in typed.items() if value.strip()}
        try:
            set_settings(actor, values)
        except CaseError as exc:
            show_case_error(exc)
            return
        del st.session_state[FIRST_RUN_KEY]
        st.session_state["_flash"] = "Identité de l'organisation enregistrée."
        st.rerun()


def _forbidden_page(spec: PageSpec):  # type: ignore[no-untyped-def]
    """A page the role cannot open, reached by its address: say so instead of landing
    silently somewhere else."""

    def page() -> None:
        st.title(spec.title)
        st.warning(
            f"Votre rôle ne permet pas d'ouvrir la page « {spec.title} ». "
            "Demandez à un administrateur si vous en avez besoin."
        )

    page.__name__ = f"forbidden_{spec.url_path.replace('-', '_')}"
    return page


def _rate_banner(actor: Actor, rates_page: st.Page | None) -> None:
    """Every page says when a semester up to today has no rate: computations over it
    are refused, and only an administrator can add it."""
    gaps, st.session_state[RATES_REVISION_KEY] = rates.rate_table_state()
    if not gaps:
        return
    names = " ; ".join(gap.label for gap in gaps)
    if can(actor, Perm.RATES_MANAGE) and rates_page is not None:
        with st.container(border=True):
            st.warning(
                f"Taux manquant : {names}. Les intérêts de ces semestres ne sont pas calculés "
                "(le Décompte n'affiche qu'une estimation provisoire ; courriers bloqués).",
                icon=":material/warning:",
            )
            st.page_link(
                rates_page, label="Ajouter les taux (page « Taux »)", icon=":material/percent:"
            )
    else:
        st.info(
            f"Taux manquant : {names}. Un administrateur doit l'ajouter ; d'ici là le "
            "Décompte est une estimation provisoire et les courriers sont bloqués.",
            icon=":material/info:",
        )


def sign_in_page() -> None:
    st.title("casedesk")
    message = st.session_state.pop("_signed_out_message", None)
    if message:
        st.warning(message)
    with st.form("sign_in"):
        email = st.text_input("E-mail")
        password = st.text_input("Mot de passe", type="password")
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        try:
            _sign_in(auth.authenticate(email, password), keep=True)
        except AuthError as exc:
            st.error(exc.message)
            return
        st.rerun()
    if _sso_configured():
        st.divider()
        if st.button("Se connecter avec le fournisseur d'identité de l'entreprise"):
            st.login()


def _sso_identity() -> None:
    """Match a single-sign-on identity to a casedesk account once per session."""
    if not _sso_configured() or not getattr(st.user, "is_logged_in", False):
        return
    try:
        _sign_in(auth.actor_for_sso_email(str(st.user.get("email", ""))))
    except AuthError as exc:
        st.error(exc.message)
        if st.button("Se déconnecter du fournisseur d'identité"):
            st.logout()
        st.stop()


def _current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor) or actor.id is None:
        _resume_kept_session()
        actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor) or actor.id is None:
        return None
    last_seen = st.session_state.get(LAST_SEEN_KEY) or utcnow()
    if auth.is_idle_expired(last_seen, utcnow(), config.idle_timeout_minutes()):
        _sign_out("Votre session a expiré après une période d'inactivité : reconnectez-vous.")
        return None
    # Sessions from before the sign-in instant was kept count from now.
    signed_in_at = st.session_state.setdefault(SIGNED_IN_AT_KEY, utcnow())
    # Re-read the account each run: a deactivation, a role change or a password reset by
    # an administrator applies at once.
    try:
        fresh = auth.resume_session(actor.id, signed_in_at)
    except AuthError as exc:
        _sign_out(exc.message)
        return None
    st.session_state[ACTOR_KEY] = fresh
    st.session_state[LAST_SEEN_KEY] = now = utcnow()
    kept_id = st.session_state.get(KEPT_ID_KEY)
    if kept_id is not None:
        # The kept session's idle timeout counts from here (written every few minutes).
        touched = st.session_state.get(KEPT_TOUCHED_KEY)
        sessions.touch(kept_id, touched)
        if touched is None or now - touched >= sessions.TOUCH_EVERY:
            st.session_state[KEPT_TOUCHED_KEY] = now
    return fresh


def _sidebar(actor: Actor) -> None:
    with st.sidebar:
        st.markdown(f"**{actor.full_name}**  \n{actor.role.label}")
        if st.button("Se déconnecter", icon=":material/logout:"):
            kept = st.session_state.get(KEPT_ID_KEY) is not None
            _sign_out()
            if _sso_configured() and getattr(st.user, "is_logged_in", False):
                st.logout()
            if kept:
                # The session is revoked already; the browser also drops its cookie.
                st.html(
                    f"<script>window.location.replace('{SESSION_ROUTE}/end');</script>",
                    unsafe_allow_javascript=True,
                )
                st.stop()
            st.rerun()


def main() -> None:
    try:
        _schema_ready(config.database_url())
    except _SchemaNotReady as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()
    actor = _current_actor()
    if actor is None:
        _sso_identity()
        actor = _current_actor()
    if actor is None:
        gate = first_admin_page if not auth.has_admin() else sign_in_page
        # Every page address leads to the sign-in form, so that a deep link such as
        # /dossier?case=2026-000123 opens that case once the user has signed in.
        gates = [st.Page(gate, title="Connexion", url_path="connexion", default=True)]
        gates += [st.Page(gate, title="Connexion", url_path=p.url_path) for p in PAGES]
        gate_page = st.navigation(gates, position="hidden")
        st.session_state[GATE_PATH_KEY] = (
            "" if gate_page.url_path == "connexion" else gate_page.url_path
        )
        gate_page.run()
        return
    if _hand_over_to_cookie():
        return
    if st.session_state.get(FIRST_RUN_KEY):
        st.navigation(
            [st.Page(identity_page, title="Identité", url_path="identite", default=True)],
            position="hidden",
        ).run()
        return
    built: dict[str, st.Page] = {}
    sections: dict[str, list[st.Page]] = {}
    for section, specs in sections_for(actor).items():
        for p in specs:
            built[p.path] = st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path)
            sections.setdefault(section, []).append(built[p.path])
    allowed = {p.path for p in pages_for(actor)}
    forbidden = [
        st.Page(_forbidden_page(p), title=p.title, url_path=p.url_path, visibility="hidden")
        for p in PAGES
        if p.path not in allowed
    ]
    if forbidden:
        sections.setdefault(next(iter(sections)), []).extend(forbidden)
    # Expanded: a collapsed menu shows Streamlit's English « View N more ».
    page = st.navigation(sections, expanded=True)
    _sidebar(actor)
    _rate_banner(actor, built.get("pages/rates.py"))
    page.run()


# One read transaction for the run's reads (kernel.db.shared_reads); a write ends it.
with shared_reads():
    main()
