// Streamlit's own widget texts in Danish: labels for screen readers (aria-label), tooltips,
// placeholders and the few visible texts its widgets draw (instructions, "Select all", file
// sizes). Streamlit 1.67 has no translation of its own; this script, loaded once per tab by
// the dashboard (served at /_ui/dansk.js, allowed by the Content-Security-Policy as a script of
// the server's own), rewrites them whenever Streamlit draws them. The page language is Danish.
(() => {
  if (window.__erhvervshusDansk) return;
  window.__erhvervshusDansk = true;
  document.documentElement.lang = "da";

  const EXACT = {
    "Skip to main content": "Gå til indholdet",
    "Sidebar": "Sidepanel",
    "Collapse sidebar": "Skjul sidepanelet",
    "Expand sidebar": "Vis sidepanelet",
    "App pages": "Sider",
    "Link to heading": "Link til overskriften",
    "Open": "Åbn",
    "Close": "Luk",
    "Fullscreen": "Fuld skærm",
    "Close fullscreen": "Luk fuld skærm",
    "Exit fullscreen": "Luk fuld skærm",
    "Search": "Søg",
    "Download as CSV": "Hent som CSV",
    "Download": "Hent",
    "Show/hide columns": "Vis/skjul kolonner",
    "Show password": "Vis adgangskode",
    "Hide password": "Skjul adgangskode",
    "Choose date": "Vælg dato",
    "Choose date range": "Vælg periode",
    "Choose an option": "Vælg …",
    "Choose options": "Vælg …",
    "Select all": "Vælg alle",
    "Clear all": "Ryd alle",
    "Clear": "Ryd",
    "Clear value": "Ryd",
    "Clear selection": "Ryd valget",
    "No results": "Ingen resultater",
    "No options to select": "Ingen valgmuligheder",
    "Press Enter to submit form": "Tryk Enter for at sende",
    "Press Enter to apply": "Tryk Enter for at bruge",
    "Press ⌘+Enter to apply": "Tryk ⌘+Enter for at bruge",
    "Press Ctrl+Enter to apply": "Tryk Ctrl+Enter for at bruge",
    "Drag and drop file here": "Træk en fil hertil",
    "Drag and drop files here": "Træk filer hertil",
    "Browse files": "Vælg fil",
    "Delete": "Slet",
    "Remove file": "Fjern filen",
    "Copy to clipboard": "Kopiér",
    "Running...": "Arbejder …",
    "Stop": "Stop",
    "Loading...": "Henter …",
    "Page not found": "Siden findes ikke",
    "The page that you have requested does not seem to exist. Running the app's main page.":
      "Siden, du bad om, findes ikke. Forsiden vises i stedet.",
  };
  const size = (number, unit) => number.replace(".", ",") + "\u00a0" + (unit === "KB" ? "kB" : unit);
  const PREFIX = [
    [
      /^You have requested page (\S+), but no corresponding file was found in the app's pages\/ directory\. Running the app's main page\.$/,
      "Siden $1 findes ikke. Forsiden vises i stedet.",
    ],
    [/^Help for (.+)$/, "Hjælp til $1"],
    // The chosen file's label: "forloeb.csv, 12.2KB" -> "forloeb.csv, 12,2 kB".
    [/^(.+), (\d+(?:\.\d+)?)(B|KB|MB|GB)$/, (_, name, n, unit) => name + ", " + size(n, unit)],
    // The uploader's limit: "25MB per file • CSV, XLSX" -> "Højst 25 MB pr. fil • CSV, XLSX".
    [/^(\d+(?:\.\d+)?)(KB|MB|GB) per file(.*)$/, (_, n, unit, rest) => "Højst " + size(n, unit) + " pr. fil" + rest],
    [/^Remove (.+)$/, "Fjern $1"],
    [/^Selected (.+)\. $/, "Valgt $1. "],
  ];
  // File sizes on the uploader's file chip: "0.9KB" -> "0,9 kB".
  const SIZE = /^(\d+)(?:\.(\d+))?\s?(B|KB|MB|GB)$/;
  const UNITS = { B: "B", KB: "kB", MB: "MB", GB: "GB" };
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "alt"];

  function translate(text) {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, trimmed)) return EXACT[trimmed];
    const size = SIZE.exec(trimmed);
    if (size) return size[1] + (size[2] ? "," + size[2] : "") + "\u00a0" + UNITS[size[3]];
    for (const [pattern, replacement] of PREFIX) {
      if (pattern.test(trimmed)) return trimmed.replace(pattern, replacement);
    }
    return null;
  }

  function fixElement(element) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const danish = translate(value);
      if (danish !== null && danish !== value) element.setAttribute(name, danish);
    }
  }

  function fixText(node) {
    const danish = translate(node.nodeValue || "");
    if (danish !== null && danish !== node.nodeValue.trim()) node.nodeValue = danish;
  }

  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      fixText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    for (const element of root.querySelectorAll("[aria-label],[title],[placeholder],[alt]")) {
      fixElement(element);
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fixText(node);
  }

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") fixElement(record.target);
      else if (record.type === "characterData") fixText(record.target);
      else for (const node of record.addedNodes) fixTree(node);
    }
  });
  observer.observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  fixTree(document.body);
})();
