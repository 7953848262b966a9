"""schemathesis hooks for scripts/api-fuzz.sh (loaded with SCHEMATHESIS_HOOKS=fuzz_checks).

- Path parameters: besides the generated values, the course's real challenges, submission ids and
  job numbers, so that the runs reach real resources and not only 404s.
- The check `student_sees_no_instructor_data`: with the student's token (FUZZ_ROLE=student) no
  instructor-only operation answers 2xx, submission lists and submissions are only of the student's
  own team, no private score or private board of a challenge still open (FUZZ_OPEN), no Ladder
  column, and /me is a student.

`python3 scripts/fuzz_checks.py count EVENTS.ndjson` prints how many requests a run sent.
"""

import json
import os
import sys

ROLE = os.environ.get("FUZZ_ROLE", "")
STUDENT = os.environ.get("FUZZ_STUDENT", "")
TEAMS = json.loads(os.environ.get("FUZZ_TEAMS", "{}"))
OPEN = set(filter(None, os.environ.get("FUZZ_OPEN", "").split(",")))
IDS = list(filter(None, os.environ.get("FUZZ_IDS", "").split(",")))
CHALLENGES = list(filter(None, os.environ.get("FUZZ_CHALLENGES", "").split(",")))

# What only an instructor may do (DESIGN §7): any 2xx here for a student is a leak.
INSTRUCTOR_ONLY = {
    ("POST", "/api/v1/challenges"),
    ("POST", "/api/v1/challenges/{id}/rescore"),
    ("GET", "/api/v1/challenges/{id}/check"),
    ("GET", "/api/v1/jobs/{job}"),
    ("GET", "/api/v1/submissions/{sid}/file"),
    ("POST", "/api/v1/submissions/{sid}/clear"),
    ("GET", "/api/v1/audit"),
    ("GET", "/api/v1/challenges/{id}/audit"),
}


def team_of(challenge):
    """The student's team in a challenge (their own name without a teams.csv)."""
    return TEAMS.get(challenge, STUDENT)


def violations(method, path, parameters, query, status, content_type, body):
    """What a student's answer shows that it must not; an empty list when it is clean."""
    if not 200 <= status < 300:
        return []
    out = []
    if (method, path) in INSTRUCTOR_ONLY:
        out.append(f"{method} {path} answered {status} to a student")
    challenge = parameters.get("id")
    if path == "/api/v1/me" and isinstance(body, dict) and body.get("role") != "student":
        out.append(f"/me says role {body.get('role')!r}")
    if path == "/api/v1/challenges/{id}/leaderboard" and challenge in OPEN:
        if (query or {}).get("board") == "private":
            out.append(f"the private board of {challenge} (still open) answered {status}")
        if isinstance(body, dict) and body.get("board") == "private":
            out.append(f"a private board of {challenge} (still open)")
    rows = []
    if path == "/api/v1/challenges/{id}/submissions" and method == "GET" and isinstance(body, list):
        rows = [(challenge, row) for row in body if isinstance(row, dict)]
    if path == "/api/v1/submissions/{sid}" and isinstance(body, dict):
        rows = [(body.get("challenge"), body)]
    for c, row in rows:
        if row.get("team") != team_of(c):
            out.append(f"a submission of team {row.get('team')!r} in {c} (the student's is {team_of(c)!r})")
        if c in OPEN and "private" in row:
            out.append(f"a private score in {c} before it closes")
        if c in OPEN and "private" in (row.get("scores") or {}):
            out.append(f"private scores in {c} before it closes")
        if "shown" in row:
            out.append("the Ladder's shown-score column (instructors only)")
    return out


try:
    import schemathesis
    from hypothesis import strategies as st
except ImportError:  # the `count` command runs without schemathesis
    schemathesis = None

if schemathesis is not None:

    class Replace:
        """`parameters` with one of them replaced (a named callable: hypothesis then never reads
        a lambda's source, which crashed CPython 3.11's parser under threads)."""

        def __init__(self, parameters, name):
            self.parameters, self.name = parameters, name

        def __call__(self, value):
            return {**self.parameters, self.name: value}

    @schemathesis.hook
    def flatmap_path_parameters(context, path_parameters):
        """Sometimes the generated values, often the course's real ones."""
        if not path_parameters:
            return st.just(path_parameters)
        if "sid" in path_parameters and IDS:
            real = st.sampled_from(IDS).map(Replace(path_parameters, "sid"))
        elif "job" in path_parameters:
            real = st.integers(1, 3).map(Replace(path_parameters, "job"))
        elif "id" in path_parameters and CHALLENGES:
            real = st.sampled_from(CHALLENGES).map(Replace(path_parameters, "id"))
        else:
            return st.just(path_parameters)
        return st.one_of(st.just(path_parameters), real)

    @schemathesis.check
    def student_sees_no_instructor_data(ctx, response, case):
        """With a student's token: no instructor data, no other team's submissions, no private board before `closes`."""
        if ROLE != "student":
            return None
        try:
            body = response.json()
        except Exception:
            body = None
        found = violations(
            case.method.upper(),
            case.operation.path,
            case.path_parameters or {},
            case.query or {},
            response.status_code,
            response.headers.get("content-type", [""]),
            body,
        )
        if found:
            raise AssertionError("; ".join(found))
        return None


def count(path):
    """Requests sent in a run, from its NDJSON events (each recorded interaction is one)."""
    n = 0
    with open(path, encoding="utf-8") as events:
        for line in events:
            n += line.count('"request":')
    return n


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "count":
        print(count(sys.argv[2]))
    else:
        sys.exit("usage: fuzz_checks.py count EVENTS.ndjson")
