extension Templates {
    /// `/admin`: the roster and invites, the queue, held submissions, each challenge's tools, jobs.
    static let admin = """
        {{<layout}}{{$content}}
        <h1>Admin</h1>
        {{#invite}}
        <div class="flash flash-ok" role="status">
        <p><strong>{{invite.name}}</strong> was added. Send this invite link (valid until {{invite.expires}}); \
        it is shown only this once:</p>
        <code class="secret">{{invite.link}}</code>
        </div>
        {{/invite}}
        {{#notice}}<p class="flash flash-ok" role="status">{{notice}}</p>{{/notice}}
        {{#problem}}<p class="flash flash-error" role="alert">{{problem}}</p>{{/problem}}

        <h2>Challenges</h2>
        {{#challenges}}
        <section class="card">
        <h3><a href="/c/{{id}}">{{title}}</a> <span class="muted">({{id}}, version {{version}}, {{state}})</span></h3>
        <p><a href="/admin/c/{{id}}/check">Check report</a> · <a href="/c/{{id}}/submissions">All submissions</a> · \
        <a href="/admin/audit?challenge={{id}}">Audit trail</a> · \
        Boards: <a href="/api/v1/challenges/{{id}}/leaderboard?board=public&amp;format=csv">public CSV</a>, \
        <a href="/api/v1/challenges/{{id}}/leaderboard?board=private&amp;format=csv">private CSV</a>, \
        <a href="/api/v1/challenges/{{id}}/leaderboard?board=private&amp;format=json">private JSON</a></p>
        <form class="inline" method="post" action="/admin/c/{{id}}/rescore">\
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary">Re-score</button></form>
        </section>
        {{/challenges}}
        {{^challenges}}<p class="muted">No challenge is published yet (<code>podium publish</code>).</p>{{/challenges}}

        <h2>Queue</h2>
        <div class="table"><table>
        <thead><tr><th>submission</th><th>participant</th><th>status</th><th>age</th><th>position</th></tr></thead><tbody>
        {{#queue}}<tr><td><a href="/c/{{challengeId}}/submissions/{{number}}">{{challengeId}}-{{number}}</a></td>\
        <td>{{participant}}</td><td><span class="status status-{{status}}">{{status}}</span></td>\
        <td class="num">{{age}}</td><td class="num">{{position}}</td></tr>{{/queue}}
        {{^queue}}<tr><td colspan="5">Nothing is queued or running.</td></tr>{{/queue}}
        </tbody></table></div>

        <h2>Held submissions</h2>
        <div class="table"><table>
        <thead><tr><th>submission</th><th>participant</th><th>findings</th><th>clear</th></tr></thead><tbody>
        {{#held}}<tr><td><a href="/c/{{challengeId}}/submissions/{{number}}">{{challengeId}}-{{number}}</a></td>\
        <td>{{participant}}</td><td class="wrap">{{findings}}</td>
        <td><form class="row" method="post" action="/admin/c/{{challengeId}}/clear/{{number}}">\
        <input type="hidden" name="csrf" value="{{csrf}}">\
        <input type="text" name="reason" placeholder="reason" required aria-label="reason">\
        <button type="submit" class="secondary">Clear</button></form></td></tr>{{/held}}
        {{^held}}<tr><td colspan="4">No held submission.</td></tr>{{/held}}
        </tbody></table></div>

        <h2>Re-score jobs</h2>
        {{#jobs}}<p><a href="/admin/jobs/{{jobId}}">Job {{jobId}}</a>: {{challengeId}}, {{jobState}} ({{done}} of {{total}})</p>{{/jobs}}
        {{^jobs}}<p class="muted">No job since the server started.</p>{{/jobs}}

        <h2>Audit trail</h2>
        {{#auditProblem}}<p class="flash flash-error" role="alert">{{auditProblem}}</p>{{/auditProblem}}
        <div class="table"><table>
        <thead><tr><th>when</th><th>who</th><th>action</th><th>on</th><th>what</th></tr></thead><tbody>
        {{#audit}}<tr><td class="num">{{at}}</td><td>{{actor}} <span class="muted">({{via}})</span></td>\
        <td>{{action}}</td><td>{{place}}</td><td class="wrap">{{detail}}</td></tr>{{/audit}}
        {{^audit}}<tr><td colspan="5">Nothing recorded yet.</td></tr>{{/audit}}
        </tbody></table></div>
        <p><a href="/admin/audit">The whole trail</a></p>

        <h2>Accounts</h2>
        <div class="table"><table>
        <thead><tr><th>name</th><th>display name</th><th>role</th><th>state</th><th>created</th></tr></thead><tbody>
        {{#accounts}}<tr><td>{{name}}</td><td class="wrap">{{display}}</td><td>{{role}}</td>\
        <td>{{#disabled}}disabled{{/disabled}}{{^disabled}}active{{/disabled}}</td><td class="num">{{created}}</td></tr>{{/accounts}}
        </tbody></table></div>
        <h3>Add an account</h3>
        <form class="stack" method="post" action="/admin/accounts">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Name (a-z, 0-9, . _ -) <input type="text" name="name" required autocapitalize="none" spellcheck="false"></label>
        <label>Display name <input type="text" name="display" maxlength="80"></label>
        <label>Email <input type="email" name="email"></label>
        <label>Role <select name="role"><option value="student">student</option>\
        <option value="instructor">instructor</option></select></label>
        <div><button type="submit">Add and make an invite</button></div>
        </form>
        {{/content}}{{/layout}}
        """

    /// `/admin/jobs/{id}`: a re-score's progress (followed by the script), then its summary.
    static let job = """
        {{<layout}}{{$content}}
        <p class="crumbs"><a href="/admin">Admin</a> ›</p>
        <h1>Re-score of {{challengeId}}</h1>
        <section class="card">
        {{#running}}<div data-poll="/api/v1/jobs/{{jobId}}" data-kind="job">{{/running}}
        <p><span class="status">{{jobState}}</span> <span id="live-detail">{{done}} of {{total}} submissions re-scored</span></p>
        <progress id="live-progress" class="progress" max="{{progressMax}}" value="{{done}}"></progress>
        {{#running}}<p class="muted">Without JavaScript, <a href="/admin/jobs/{{jobId}}">refresh</a> to follow it.</p></div>{{/running}}
        <p class="muted">Started by {{startedBy}}.</p>
        {{#problem}}<p class="flash flash-error">{{problem}}</p>{{/problem}}
        {{#summary}}<pre class="text">{{summary}}</pre>{{/summary}}
        </section>
        {{/content}}{{/layout}}
        """

    /// `/admin/c/{id}/check`: the dataset checks and the flagged submissions.
    static let check = """
        {{<layout}}{{$content}}
        <p class="crumbs"><a href="/admin">Admin</a> ›</p>
        <h1>Check report: {{challengeId}}</h1>
        <p>{{#blocked}}<strong>A blocking finding was not published over.</strong>{{/blocked}}\
        {{^blocked}}Nothing blocks this version.{{/blocked}} Checks run: {{checksRun}}.</p>
        <div class="table"><table>
        <thead><tr><th>check</th><th>severity</th><th>finding</th></tr></thead><tbody>
        {{#findings}}<tr><td>{{check}}</td><td>{{severity}}</td><td class="wrap">{{message}}</td></tr>{{/findings}}
        {{^findings}}<tr><td colspan="3">No finding.</td></tr>{{/findings}}
        </tbody></table></div>
        {{#hasAllowed}}<h2>Published over</h2><ul class="plain">{{#allowed}}<li>{{check}}: {{reason}}</li>{{/allowed}}</ul>{{/hasAllowed}}
        <h2>Flagged submissions</h2>
        <div class="table"><table>
        <thead><tr><th>submission</th><th>participant</th><th>findings</th></tr></thead><tbody>
        {{#flagged}}<tr><td><a href="/c/{{challengeId}}/submissions/{{number}}">{{number}}</a></td><td>{{participant}}</td>\
        <td class="wrap">{{findings}}</td></tr>{{/flagged}}
        {{^flagged}}<tr><td colspan="3">No flagged submission.</td></tr>{{/flagged}}
        </tbody></table></div>
        {{/content}}{{/layout}}
        """
}
