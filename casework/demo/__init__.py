"""The demo world: a believable Meguro, built through the services (`manage.py seed_demo`).

Agencies, staff of every role, about 230 persons and their cases taken through the whole
consultation workflow: intake (相談受付) and screening, assessments and re-assessments,
support plans written, submitted, approved by a supervisor and revised, monitoring, emergency
support, closure requests approved, rejected or pending, and a reopened case; contact
histories, 8050 and single-parent households, children in the study programme, adults in the
employment programme with their outcomes, meetings of every kind, shares and consents.

Everything is drawn from one fixed random seed, with dates relative to today, so two runs on
the same day produce the same world; a second run adds nothing. Nothing is written around the
services: if a service refuses, the plan is wrong, not the service.

texts    the fixed material: agencies, staff, names, addresses, the words of every record
plans    what the planner draws, before anything is written
planner  the seeded planner (people, course and records of each case)
build    the world built through the services; the seed_demo command
links    the shares, 8050 households and meetings that tie the cases together
report   what the command prints"""
