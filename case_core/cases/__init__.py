"""Cases: intake, parties, references, lifecycle (phases, close, assign), stored totals,
the portfolio queries and the readable history."""
