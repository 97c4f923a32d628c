"""The outreach demo: community and outreach work made through the services (`manage.py
seed_outreach`, run after seed_demo).

Awareness events over this and the last fiscal year, activity groups in every district with
their sessions and registered participants, new life-support services, watch-network reports
in every triage state, and outreach visits with every result (one case with three 不在 in a
row, visits planned for this week, a few past ones not yet recorded).

Deterministic (one fixed seed, dates relative to today). Idempotent: it does nothing when any
awareness event or watch report exists. Refuses DEBUG off unless --force.

texts      the fixed material (a text corpus)
community  events, groups, sessions, participants, new services
build      reports, visits and cases; the seed_outreach command
"""
