"""Anonymous surveys: organisation-wide campaigns that are anonymous by construction.

    Participation  (campaign, person, unit, token hashes, answered, invited/reminded)
    AnonymousAnswer (uuid, campaign, unit, background, answers, submitted_on)   ← no link back
    AnonymousComment (uuid, campaign, unit, question, text, status)              ← no link back

* **Links.** Each person gets a one-time link by email (`tasks.send_survey_link`, enqueued on
  commit). The task makes the token and stores only its keyed hash, so the token exists in the
  email and nowhere else (not in the task queue either). The token travels in the URL fragment
  and then in POST bodies only; views are `sensitive_post_parameters`. A logged-in person can
  answer the same participation from the home page.
* **Drafts** stay in the respondent's browser: every page carries the answers so far in a
  signed hidden field, and a small script keeps that in localStorage for "continue later".
  Nothing is saved on the server before the answer is submitted; django_session is never
  written by these views.
* **Submission** (`services.anonymous_answer_submit`) runs in one transaction: it locks the
  participations of the person's unit, marks the person answered in a single UPDATE that
  rewrites every participation of the unit (so the changed row has the same transaction id as
  its neighbours and keeps its place), then inserts the answer and rewrites the unit's answers
  and comments in a random order (new row ids / physical positions, one transaction id). No
  audit event, no history, no log line. See docs/privacy.md for what this protects against.
* **Results** only through `reports.anonymity` (minimum group size, roll-up, remainder rule,
  screened free text). Response rates are daily snapshots.
"""
