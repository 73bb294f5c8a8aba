"""Services on a real SQLite file and on the real PostgreSQL server (`db_url`)."""
