// GraphiQL against this server's /graphql, opened on an example query.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, window.location.href).href });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: config.query,
    // GraphiQL offers its defaultQuery only when no tab is stored from an earlier visit.
    defaultEditorToolsVisibility: false,
  }));
})();
