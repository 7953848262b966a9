extension Templates {
    /// `/`: the challenges (signed in) or a welcome (signed out).
    static let home = """
        {{<layout}}{{$content}}
        {{#frame.signedIn}}
        <h1>Challenges</h1>
        {{#challenges}}
        <section class="card">
        <h2><a href="/c/{{id}}">{{title}}</a></h2>
        <dl class="facts">
        <dt>State</dt><dd><span class="state-{{state}}">{{state}}</span></dd>
        <dt>Opens</dt><dd>{{opens}}</dd>
        <dt>Closes</dt><dd>{{closes}}</dd>
        <dt>Metric</dt><dd>{{metric}} ({{direction}})</dd>
        {{#remaining}}<dt>Left today</dt><dd>{{remaining}}</dd>{{/remaining}}
        </dl>
        <p><a href="/c/{{id}}">Overview</a> · <a href="/c/{{id}}/leaderboard">Leaderboard</a> · \
        <a href="/c/{{id}}/submit">Submit</a> · <a href="/c/{{id}}/submissions">Submissions</a></p>
        </section>
        {{/challenges}}
        {{^challenges}}<p class="card">No challenge is published yet.</p>{{/challenges}}
        {{/frame.signedIn}}
        {{^frame.signedIn}}
        <h1>Welcome to Podium</h1>
        <div class="card">
        <p>Podium is the course's competition judge: download a challenge's data, submit predictions, \
        and see them scored on the leaderboard.</p>
        <p><a class="button" href="/login">Sign in</a></p>
        <p class="muted">No password yet? Open the invite link your instructor sent you.</p>
        </div>
        {{/frame.signedIn}}
        {{/content}}{{/layout}}
        """
}
