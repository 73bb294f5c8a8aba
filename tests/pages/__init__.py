"""Pages through Streamlit's AppTest, on the services underneath."""
