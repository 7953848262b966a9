extension Templates {
    /// `/account`: who, the teams, the tokens (revoke), a new token shown once.
    static let account = """
        {{<layout}}{{$content}}
        <h1>Your account</h1>
        {{#newToken}}
        <div class="flash flash-ok" role="status">
        <p><strong>Your new token{{#newLabel}} “{{newLabel}}”{{/newLabel}}</strong> — copy it now: it is shown only this once.</p>
        <code class="secret">{{newToken}}</code>
        <p class="muted">Use it with <code>podium login --server URL --token TOKEN</code> or as \
        <code>Authorization: Bearer TOKEN</code>.</p>
        </div>
        {{/newToken}}
        {{#problem}}<p class="flash flash-error" role="alert">{{problem}}</p>{{/problem}}
        <section class="card">
        <dl class="facts">
        <dt>Name</dt><dd>{{name}}</dd>
        <dt>Display name</dt><dd>{{display}}</dd>
        <dt>Role</dt><dd>{{role}}</dd>
        {{#email}}<dt>Email</dt><dd>{{email}}</dd>{{/email}}
        </dl>
        </section>
        <h2>Teams</h2>
        {{#hasTeams}}<div class="table"><table><thead><tr><th>challenge</th><th>team</th></tr></thead><tbody>
        {{#teams}}<tr><td><a href="/c/{{challenge}}">{{challenge}}</a></td><td>{{team}}</td></tr>{{/teams}}
        </tbody></table></div>{{/hasTeams}}
        {{^teams}}<p class="muted">No challenge yet.</p>{{/teams}}
        <h2>API tokens and sessions</h2>
        <div class="table"><table>
        <thead><tr><th>id</th><th>label</th><th>created</th><th>expires</th><th></th></tr></thead>
        <tbody>
        {{#tokens}}
        <tr><td><code>{{id}}</code></td><td class="wrap">{{label}}{{#current}} <span class="muted">(this session)</span>{{/current}}</td>\
        <td class="num">{{created}}</td><td class="num">{{expires}}</td>
        <td><form class="inline" method="post" action="/account/tokens/{{id}}/revoke">\
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary">Revoke</button></form></td></tr>
        {{/tokens}}
        {{^tokens}}<tr><td colspan="5">No live token.</td></tr>{{/tokens}}
        </tbody></table></div>
        <h2>New API token</h2>
        <form class="row" method="post" action="/account/tokens">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Label <input type="text" name="label" maxlength="60" placeholder="laptop"></label>
        <button type="submit">Create token</button>
        </form>
        {{/content}}{{/layout}}
        """
}
