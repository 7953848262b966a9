extension Templates {
    /// Every page: the header with who is signed in, the page's `content` block, the footer.
    static let layout = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{frame.title}} · Podium</title>
        <link rel="stylesheet" href="/static/podium.css">
        {{#frame.live}}<script src="/static/status.js" defer></script>{{/frame.live}}
        </head>
        <body>
        <header class="top"><nav aria-label="site">
        <a class="brand" href="/">Podium</a>
        {{#frame.signedIn}}
        <a href="/">Challenges</a>
        {{#frame.instructor}}<a href="/admin">Admin</a>{{/frame.instructor}}
        <a href="/account" title="{{frame.name}}">{{frame.display}}</a>
        <form class="inline" method="post" action="/logout">\
        <input type="hidden" name="csrf" value="{{frame.csrf}}">\
        <button type="submit" class="link">Sign out</button></form>
        {{/frame.signedIn}}
        {{^frame.signedIn}}<a href="/login">Sign in</a>{{/frame.signedIn}}
        </nav></header>
        <main>
        {{$content}}{{/content}}
        </main>
        <footer>Podium · times are UTC</footer>
        </body>
        </html>

        """

    static let error = """
        {{<layout}}{{$content}}
        <h1>{{heading}}</h1>
        <div class="card">
        <p>{{message}}</p>
        <p class="muted">HTTP {{status}} · <a href="/">Back to the challenges</a></p>
        </div>
        {{/content}}{{/layout}}
        """
}
