"""Template versions: the one in use, uploads checked before they are accepted, restores.

The shipped file (templates_docx/) is version 0. An upload is accepted only when python-docx
opens it, every variable it uses exists in the documented context (docxtpl's
undeclared-variables check against the template's full-case sample) and a strict test render
of that sample succeeds; otherwise a French message names the template and the tag. Versions
are never deleted: a restore is a new version with the old bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docx import Document as open_docx
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError
from sqlalchemy import func
from sqlmodel import Session, col, select

from case_core.documents.store import clean_filename
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.models import DocumentBlob, TemplateVersion, User
from case_core.templates.registry import TEMPLATES, TEMPLATES_DIR, spec_of
from case_core.templates.render import TemplateRenderError, render_docx

NOTE_MAX = 500
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class VersionView:
    name: str
    version: int  # 0: the shipped file
    filename: str
    size_bytes: int
    created_at: datetime | None
    created_by: str
    note: str | None
    restored_from_version: int | None
    current: bool


@dataclass(frozen=True)
class TemplateRow:
    name: str
    title: str
    current_version: int
    updated_at: datetime | None
    updated_by: str


def shipped_bytes(name: str) -> bytes:
    return (TEMPLATES_DIR / name).read_bytes()


def _latest(session: Session, name: str) -> TemplateVersion | None:
    return session.exec(
        select(TemplateVersion)
        .where(TemplateVersion.name == name)
        .order_by(col(TemplateVersion.version).desc())
    ).first()


def _blob(session: Session, sha256: str) -> bytes:
    blob = session.get(DocumentBlob, sha256)
    if blob is None:
        raise NotFound("Contenu du modèle introuvable.")
    return bytes(blob.content)


def current_template(session: Session, name: str) -> bytes:
    """The bytes of the version in use (the shipped file until one is uploaded)."""
    latest = _latest(session, name)
    return _blob(session, latest.sha256) if latest else shipped_bytes(name)


def check_template(name: str, content: bytes) -> None:
    """Refuse, in French, a file that would not render the documented context."""
    spec = spec_of(name)
    label = f"Modèle « {spec.title} »"
    if not content:
        raise ValidationError({"file": f"{label} : le fichier est vide."})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": f"{label} : le fichier dépasse 5 Mo."})
    try:
        open_docx(io.BytesIO(content))
    except Exception:
        raise ValidationError(
            {"file": f"{label} : ce fichier n'est pas un document Word (.docx) lisible."}
        ) from None
    sample = spec.sample()
    env = Environment(autoescape=True, undefined=StrictUndefined)
    try:
        unknown = DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables(env, sample)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            {"file": f"{label} : balise invalide ({exc.message}, ligne {exc.lineno})."}
        ) from None
    if unknown:
        tags = ", ".join(f"« {{{{ {v} }}}} »" for v in sorted(unknown))
        raise ValidationError(
            {"file": f"{label} : variable(s) absente(s) du contexte documenté : {tags}."}
        )
    try:
        render_docx(content, sample, name, strict=True)
    except TemplateRenderError as exc:
        what = f"sur une balise : {exc.detail}." if exc.in_tag else f"({exc.detail})."
        raise ValidationError({"file": f"{label} : le rendu d'essai échoue {what}"}) from None


def render_active(session: Session, name: str, context: dict[str, Any]) -> bytes:
    """The document from the version of `name` in use (an upload, or the shipped file)."""
    return render_docx(current_template(session, name), context, name)


def _add_version(
    session: Session,
    actor: Actor,
    name: str,
    content: bytes,
    filename: str,
    note: str | None,
    restored_from: int | None = None,
) -> TemplateVersion:
    digest = hashlib.sha256(content).hexdigest()
    if session.get(DocumentBlob, digest) is None:
        session.add(DocumentBlob(sha256=digest, content=content))
        session.flush()
    last = session.exec(
        select(func.max(TemplateVersion.version)).where(TemplateVersion.name == name)
    ).one()
    row = TemplateVersion(
        name=name,
        version=int(last or 0) + 1,
        sha256=digest,
        size_bytes=len(content),
        filename=clean_filename(filename),
        note=note,
        restored_from_version=restored_from,
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    return row


def _note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationError({"note": f"Note : {NOTE_MAX} caractères au plus."})
    return text or None


def upload_template(
    actor: Actor, name: str, filename: str, content: bytes, note: str | None = None
) -> int:
    """A new version of the template `name`, once checked; returns its number."""
    require(actor, Perm.SETTINGS_MANAGE)
    clean = _note(note)
    check_template(name, content)
    with change(actor, Perm.SETTINGS_MANAGE, "template.upload") as uow:
        return _add_version(uow.session, actor, name, content, filename, clean).version


def restore_template(actor: Actor, name: str, version: int) -> int:
    """Put an earlier version back in use (as a new version); returns its number."""
    spec_of(name)
    with change(actor, Perm.SETTINGS_MANAGE, "template.restore") as uow:
        if version == 0:
            content, filename = shipped_bytes(name), name
        else:
            old = uow.session.exec(
                select(TemplateVersion).where(
                    TemplateVersion.name == name, TemplateVersion.version == version
                )
            ).first()
            if old is None:
                raise NotFound(f"Version {version} du modèle introuvable.")
            content, filename = _blob(uow.session, old.sha256), old.filename
        row = _add_version(
            uow.session,
            actor,
            name,
            content,
            filename,
            f"Restauration de la version {version}",
            restored_from=version,
        )
        return row.version


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(wanted))).all()
    return {u.id: u.full_name for u in users if u.id is not None}


def templates_overview(actor: Actor) -> list[TemplateRow]:
    require(actor, Perm.SETTINGS_MANAGE)
    with read_session() as session:
        rows = []
        for spec in TEMPLATES.values():
            latest = _latest(session, spec.name)
            names = _names(session, {latest.created_by_id} if latest else set())
            rows.append(
                TemplateRow(
                    spec.name,
                    spec.title,
                    latest.version if latest else 0,
                    latest.created_at if latest else None,
                    names.get(latest.created_by_id or 0, "") if latest else "fichier livré",
                )
            )
        return rows


def template_versions(actor: Actor, name: str) -> list[VersionView]:
    """Every version of the template, the newest first, the shipped file last."""
    require(actor, Perm.SETTINGS_MANAGE)
    spec_of(name)
    with read_session() as session:
        rows = session.exec(
            select(TemplateVersion)
            .where(TemplateVersion.name == name)
            .order_by(col(TemplateVersion.version).desc())
        ).all()
        names = _names(session, {r.created_by_id for r in rows})
        current = rows[0].version if rows else 0
        views = [
            VersionView(
                name,
                r.version,
                r.filename,
                r.size_bytes,
                r.created_at,
                names.get(r.created_by_id or 0, ""),
                r.note,
                r.restored_from_version,
                r.version == current,
            )
            for r in rows
        ]
    shipped = shipped_bytes(name)
    views.append(
        VersionView(name, 0, name, len(shipped), None, "", "Fichier livré", None, current == 0)
    )
    return views


def template_content(actor: Actor, name: str, version: int | None = None) -> bytes:
    """The bytes of a version (None: the one in use)."""
    require(actor, Perm.SETTINGS_MANAGE)
    spec_of(name)
    with read_session() as session:
        if version is None:
            return current_template(session, name)
        if version == 0:
            return shipped_bytes(name)
        row = session.exec(
            select(TemplateVersion).where(
                TemplateVersion.name == name, TemplateVersion.version == version
            )
        ).first()
        if row is None:
            raise NotFound(f"Version {version} du modèle introuvable.")
        return _blob(session, row.sha256)


def documented_fields(name: str) -> dict[str, Any]:
    """The context fields of the template, with an example of each (the admin page shows it)."""
    return spec_of(name).sample()
