extension Templates {
    /// `/login`: name and password; an error says no more than "wrong name or password".
    static let login = """
        {{<layout}}{{$content}}
        <h1>Sign in</h1>
        {{#problem}}<p class="flash flash-error" role="alert">{{problem}}</p>{{/problem}}
        <div class="card">
        <form class="stack" method="post" action="/login">
        <input type="hidden" name="next" value="{{next}}">
        <label>Name <input type="text" name="name" value="{{name}}" autocomplete="username" autocapitalize="none" \
        spellcheck="false" required></label>
        <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
        <div><button type="submit">Sign in</button></div>
        </form>
        </div>
        <p class="muted">No password yet? Open the invite link your instructor sent you.</p>
        {{/content}}{{/layout}}
        """

    /// `/invite/{code}`: set a password (twice), then signed in.
    static let invite = """
        {{<layout}}{{$content}}
        <h1>Set your password</h1>
        {{#problem}}<p class="flash flash-error" role="alert">{{problem}}</p>{{/problem}}
        <div class="card">
        <form class="stack" method="post" action="/invite/{{code}}">
        <label>Password (at least {{minimum}} characters) <input type="password" name="password" \
        autocomplete="new-password" minlength="{{minimum}}" required></label>
        <label>The same password again <input type="password" name="again" autocomplete="new-password" \
        minlength="{{minimum}}" required></label>
        <div><button type="submit">Set password and sign in</button></div>
        </form>
        </div>
        {{/content}}{{/layout}}
        """
}
