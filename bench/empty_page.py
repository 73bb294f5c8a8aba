"""The floor of a page's server time: a script that draws one line, run by AppTest like the
app's pages (bench/run_bench.py). A page cannot rerun faster than this on the machine."""

import streamlit as st

st.write("Page vide")
