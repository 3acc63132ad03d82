// GraphiQL for Tercul: served from our own static files; example queries preloaded as tabs.
(function () {
  "use strict";
  var mount = document.getElementById("graphiql");
  var examples = JSON.parse(document.getElementById("graphql-examples").textContent || "[]");
  var fetcher = GraphiQL.createFetcher({
    url: mount.dataset.endpoint,
    // the browser session may run mutations only with the page's CSRF token
    headers: { "X-CSRFToken": mount.dataset.csrf }
  });
  var tabs = examples.map(function (example) {
    return {
      query: "# " + example.title + "\n" + example.query + "\n",
      variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined
    };
  });
  var props = { fetcher: fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: false };
  if (tabs.length) { props.defaultTabs = tabs; }
  ReactDOM.createRoot(mount).render(React.createElement(GraphiQL, props));
})();
