"""Pure rules, no database: money maths, schedules, validation messages."""
