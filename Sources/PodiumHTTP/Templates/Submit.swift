extension Templates {
    /// `/c/{id}/submit`: the file and a message.
    static let submit = """
        {{<layout}}{{$content}}
        \(tabs)
        {{#problem}}<p class="flash flash-error" role="alert">{{problem}}</p>{{/problem}}
        <section class="card">
        <p>{{#left}}You have <strong>{{left}}</strong> submission(s) left today (the day resets at {{resets}}).{{/left}} \
        Accepted: {{kinds}}; at most {{maxMB}} MB.</p>
        <form class="stack" method="post" action="/c/{{challenge.id}}/submit" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>File <input type="file" name="file" required></label>
        <label>Message (optional) <input type="text" name="message" maxlength="1000" \
        placeholder="what changed"></label>
        <div><button type="submit">Submit</button></div>
        </form>
        </section>
        {{/content}}{{/layout}}
        """

    /// `/c/{id}/submissions/{n}`: the status (followed live by the script), then the result.
    static let submission = """
        {{<layout}}{{$content}}
        \(tabs)
        <h2>Submission {{s.number}}</h2>
        <section class="card">
        {{#pending}}<div data-poll="/api/v1/submissions/{{s.apiId}}" data-kind="submission">{{/pending}}
        <p><span id="live-status" class="status status-{{s.status}}">{{s.status}}</span> \
        <span id="live-detail" class="muted">{{s.detail}}</span></p>
        {{#pending}}<p class="muted">This page follows the evaluation by itself; without JavaScript, \
        <a href="/c/{{challenge.id}}/submissions/{{s.number}}">refresh</a> to see the result.</p></div>{{/pending}}
        <dl class="facts">
        <dt>Submitted</dt><dd>{{s.submitted}}{{#s.late}} (late){{/s.late}}</dd>
        <dt>By</dt><dd>{{s.participant}} (team {{s.team}})</dd>
        <dt>File</dt><dd>{{s.file}}</dd>
        {{#s.note}}<dt>Message</dt><dd>{{s.note}}</dd>{{/s.note}}
        {{#s.rank}}<dt>Public rank</dt><dd>{{s.rank}}</dd>{{/s.rank}}
        {{#s.held}}<dt>Held</dt><dd>held for review by an instructor (not on the public board until cleared)</dd>{{/s.held}}
        {{#s.selected}}<dt>Selected</dt><dd>one of the team's final picks</dd>{{/s.selected}}
        {{#s.ladder}}<dt>Ladder</dt><dd>{{s.ladder}}</dd>{{/s.ladder}}
        {{#s.left}}<dt>Left today</dt><dd>{{s.left}} (the day resets at {{s.resets}})</dd>{{/s.left}}
        </dl>
        </section>
        {{#s.problem}}<div class="flash flash-error"><p><strong>{{s.problemCode}}</strong>: {{s.problem}}</p></div>{{/s.problem}}
        {{#s.hasScores}}
        <h3>Scores</h3>
        <div class="table"><table><thead><tr><th>split</th><th>metric</th><th>score</th></tr></thead><tbody>
        {{#s.scores}}<tr><td>{{split}}</td><td>{{metric}}{{#primary}} (primary){{/primary}}</td><td class="num">{{value}}</td></tr>{{/s.scores}}
        </tbody></table></div>
        {{/s.hasScores}}
        {{#s.hasWarnings}}<h3>Warnings</h3><ul class="plain">{{#s.warnings}}<li>{{.}}</li>{{/s.warnings}}</ul>{{/s.hasWarnings}}
        {{#s.hasChecks}}<h3>Checks</h3><ul class="plain">{{#s.checks}}<li>{{.}}</li>{{/s.checks}}</ul>{{/s.hasChecks}}
        {{#instructorFile}}<p><a href="/api/v1/submissions/{{s.apiId}}/file">Download the submitted file</a></p>{{/instructorFile}}
        <p><a href="/c/{{challenge.id}}/submissions">All submissions</a> · <a href="/c/{{challenge.id}}/submit">Submit another</a></p>
        {{/content}}{{/layout}}
        """

    /// `/c/{id}/submissions`: the team's own list (an instructor's: everyone's).
    static let submissions = """
        {{<layout}}{{$content}}
        \(tabs)
        {{#notes}}<p class="muted">{{.}}</p>{{/notes}}
        <div class="table"><table>
        <thead><tr><th>#</th>{{#everyone}}<th>participant</th><th>team</th>{{/everyone}}<th>submitted</th><th>status</th>\
        <th>public {{metric}}</th>{{#showPrivate}}<th>private</th>{{/showPrivate}}{{#showShown}}<th>shown</th>{{/showShown}}\
        <th>file</th><th>notes</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td><a href="/c/{{challenge.id}}/submissions/{{number}}">{{number}}</a></td>\
        {{#everyone}}<td>{{participant}}</td><td>{{team}}</td>{{/everyone}}\
        <td class="num">{{submitted}}</td><td><span class="status status-{{status}}">{{status}}</span></td>\
        <td class="num">{{publicScore}}</td>{{#showPrivate}}<td class="num">{{privateScore}}</td>{{/showPrivate}}\
        {{#showShown}}<td class="num">{{shownScore}}</td>{{/showShown}}\
        <td class="wrap">{{#everyone}}<a href="/api/v1/submissions/{{apiId}}/file">{{file}}</a>{{/everyone}}\
        {{^everyone}}{{file}}{{/everyone}}</td><td class="wrap">{{flags}}</td></tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="9">No submission yet. <a href="/c/{{challenge.id}}/submit">Submit one</a>.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/content}}{{/layout}}
        """
}
