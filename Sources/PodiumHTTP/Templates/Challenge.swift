extension Templates {
    /// The links under a challenge's title, the current one marked.
    static let tabs = """
        <p class="crumbs"><a href="/">Challenges</a> ›</p>
        <h1>{{challenge.title}}</h1>
        <ul class="tabs">
        <li><a href="/c/{{challenge.id}}"{{#tab.overview}} aria-current="page"{{/tab.overview}}>Overview</a></li>
        <li><a href="/c/{{challenge.id}}/leaderboard"{{#tab.leaderboard}} aria-current="page"{{/tab.leaderboard}}>Leaderboard</a></li>
        <li><a href="/c/{{challenge.id}}/submit"{{#tab.submit}} aria-current="page"{{/tab.submit}}>Submit</a></li>
        <li><a href="/c/{{challenge.id}}/submissions"{{#tab.submissions}} aria-current="page"{{/tab.submissions}}>Submissions</a></li>
        </ul>
        """

    /// `/c/{id}`: the description, deadlines, limits, what is left today, the data.
    static let challenge = """
        {{<layout}}{{$content}}
        \(tabs)
        <section class="card">
        <dl class="facts">
        <dt>State</dt><dd><span class="state-{{challenge.state}}">{{challenge.state}}</span></dd>
        <dt>Opens</dt><dd>{{challenge.opens}}</dd>
        <dt>Closes</dt><dd>{{challenge.closes}}</dd>
        <dt>Task</dt><dd>{{challenge.task}}</dd>
        <dt>Metric</dt><dd>{{challenge.metric}} ({{challenge.direction}})</dd>
        <dt>Limits</dt><dd>{{limits}}</dd>
        <dt>Accepts</dt><dd>{{kinds}}</dd>
        {{#left}}<dt>Left today</dt><dd>{{left}} (the day resets at {{resets}})</dd>{{/left}}
        {{#leftTotal}}<dt>Left in all</dt><dd>{{leftTotal}}</dd>{{/leftTotal}}
        {{#team}}<dt>Your team</dt><dd>{{team}}</dd>{{/team}}
        <dt>Version</dt><dd>{{version}}</dd>
        </dl>
        </section>
        <h2>Data</h2>
        {{#hasFiles}}<div class="table"><table><thead><tr><th>file</th><th>size</th><th>SHA-256</th></tr></thead><tbody>
        {{#files}}<tr><td><a href="/api/v1/challenges/{{challenge.id}}/files/{{fileName}}" download>{{fileName}}</a></td>\
        <td class="num">{{size}}</td><td><code>{{shortSha}}</code></td></tr>{{/files}}
        </tbody></table></div>{{/hasFiles}}
        {{^hasFiles}}<p class="muted">No public file.</p>{{/hasFiles}}
        <h2>Description</h2>
        <section class="card readme">
        {{#readme}}
        {{#heading}}<h3>{{heading}}</h3>{{/heading}}
        {{#isParagraph}}<p>{{#spans}}{{#isCode}}<code>{{text}}</code>{{/isCode}}{{^isCode}}{{text}}{{/isCode}}{{/spans}}</p>{{/isParagraph}}
        {{#isList}}<ul>{{#items}}<li>{{#spans}}{{#isCode}}<code>{{text}}</code>{{/isCode}}{{^isCode}}{{text}}{{/isCode}}{{/spans}}</li>{{/items}}</ul>{{/isList}}
        {{#preformatted}}<pre><code>{{preformatted}}</code></pre>{{/preformatted}}
        {{/readme}}
        {{^readme}}<p class="muted">This challenge has no README.</p>{{/readme}}
        </section>
        {{/content}}{{/layout}}
        """

    /// `/c/{id}/leaderboard`: the public board and its charts; the private one when allowed.
    static let leaderboard = """
        {{<layout}}{{$content}}
        \(tabs)
        <h2>Public leaderboard</h2>
        <p class="muted">{{publicTitle}}</p>
        {{{publicBoard}}}
        <p><a href="/api/v1/challenges/{{challenge.id}}/leaderboard?board=public&amp;format=csv">Download (CSV)</a></p>
        <h2>Private leaderboard</h2>
        {{#privateBoard}}
        <p class="muted">{{privateTitle}}</p>
        {{{privateBoard}}}
        <p><a href="/api/v1/challenges/{{challenge.id}}/leaderboard?board=private&amp;format=csv">Download (CSV)</a></p>
        {{/privateBoard}}
        {{^privateBoard}}<p class="card">{{privateHidden}}</p>{{/privateBoard}}
        {{/content}}{{/layout}}
        """
}
