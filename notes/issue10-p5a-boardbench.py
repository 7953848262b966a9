import sys, os, random, sqlite3, statistics, subprocess
sys.path.insert(0, "/work/wt/p5a/scripts/bench")
from leaderboard import make_binary_challenge, predictions, timed
work = sys.argv[1]; bins = sys.argv[2:]
home = f"{work}/home"; subprocess.run(["rm", "-rf", work]); os.makedirs(work)
env = dict(os.environ, PODIUM_HOME=home)
folder = f"{work}/board"
labels = make_binary_challenge(folder, 1000, 3)
with open(f"{folder}/challenge.yaml", "a") as f: f.write("leaderboard:\n  display: ladder\n  step: 0.01\n")
sub = f"{work}/board.csv"; predictions(sub, labels, 4)
timed([bins[0], "publish", folder], env); timed([bins[0], "submit", "board", sub, "--as", "seed"], env)
db = sqlite3.connect(f"{home}/board/podium.sqlite")
sha = db.execute("SELECT fileSha256 FROM submission").fetchone()[0]
rng = random.Random(5)
with db:
    for p in range(500):
        for k in range(40):
            t = f"2026-11-{1 + k % 28:02d}T{p % 24:02d}:{k % 60:02d}:00.000Z"
            cur = db.execute("INSERT INTO submission (participant, team, fileSha256, fileName, submittedAt, day, late, status, version, selected) VALUES (?, ?, ?, 'x.csv', ?, ?, 0, 'scored', 1, 0)", (f"p{p}", f"p{p}", sha, t, t[:10]))
            db.execute("INSERT INTO score VALUES (?, 1, 'scored', ?, ?, '{}', ?)", (cur.lastrowid, rng.random(), rng.random(), t))
db.close()
for b in bins:  # open once with each binary (migrations are the same)
    timed([b, "leaderboard", "board"], env)
for cmd in (["leaderboard", "board"], ["leaderboard", "board", "--format", "html"], ["submissions", "board", "--json"], ["submissions", "board", "--as", "p7", "--json"]):
    out = []
    for b in bins:
        out.append(statistics.median(timed([b] + cmd, env)[0] for _ in range(15)))
    print(" ".join(cmd), " | ".join(f"{t*1000:.0f} ms" for t in out))
