"""Scheduled work as plain functions: run(session, now, notify) -> what it owed.

Every job is a sweep: it reads the database and owes what is due and not yet in the reminder
ledger. APScheduler only holds the timetable (jobs/schedule.py)."""
