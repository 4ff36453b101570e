// YASGUI against this server's /sparql, with the saved queries of queries/*.rq to load as tabs.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  // The "property" and "class" completers query lov.linkeddata.es: keep only those that work offline
  // (prefixes from the bundled list, since prefixCcApi is null by default, and the query's variables).
  // Set on the defaults: a config option would be deep-merged into the default list, not replace it.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // Only our endpoint in the endpoint picker (the default list names public endpoints).
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    corsProxy: undefined,  // never send queries through a third-party proxy
  });

  var list = document.querySelector("#kg-examples ul");
  config.examples.forEach(function (example) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.dataset.example = example.name;
    button.textContent = example.title;
    button.title = "Open queries/" + example.name + ".rq in a new tab";
    button.addEventListener("click", function () {
      yasgui.addTab(true, { name: example.title, yasqe: { value: example.query },
                            requestConfig: { endpoint: endpoint } }, { avoidDuplicateTabs: true });
    });
    item.appendChild(button);
    // Say before it is run that a query leaves this store: SERVICE sends part of it to Wikidata.
    if (example.federated) addNote(item, "kg-badge", "Federated: calls Wikidata through SERVICE (slow; needs the server's network)");
    if (example.foreign) addNote(item, "kg-badge", "Written for query.wikidata.org: finds little in this store");
    if (example.description) {
      var short = example.description.length > 160 ? example.description.slice(0, 157) + "…" : example.description;
      addNote(item, "kg-desc", short).title = example.description;
    }
    list.appendChild(item);
  });
  function addNote(item, className, text) {
    var note = document.createElement("span");
    note.className = className;
    note.textContent = text;
    item.appendChild(note);
    return note;
  }
  window.kgYasgui = yasgui;  // for the browser tests and the curious
})();
