// Anchors every TextQuoteSelector of an annotation collection on an HTML page with two
// text-anchoring libraries from npm, neither written here:
//   - dom-anchor-text-quote (the quote anchoring Hypothesis' client was built on), and
//   - @apache-annotator/dom (the Apache Annotator project's W3C selector matcher).
// The page is parsed by jsdom. Prints, for each annotation, the text each library found.
//
//   node tests/anchoring/anchor.mjs PAGE.html annotations.jsonld
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { JSDOM } = require("jsdom");
const textQuote = require("dom-anchor-text-quote");

const [page, collectionFile] = process.argv.slice(2);
const dom = new JSDOM(readFileSync(page, "utf8"));
// The Apache matcher uses the DOM's globals, as it would in a browser.
for (const name of ["document", "Node", "NodeFilter", "Range", "Text"]) globalThis[name] = dom.window[name];
const { createTextQuoteSelectorMatcher } = await import("@apache-annotator/dom");

const body = dom.window.document.body;
const collection = JSON.parse(readFileSync(collectionFile, "utf8"));
const results = [];
for (const annotation of collection.first.items) {
  const selector = annotation.target.selector;
  const range = textQuote.toRange(body, selector);
  const scope = dom.window.document.createRange();
  scope.selectNodeContents(body);
  const matches = [];
  for await (const match of createTextQuoteSelectorMatcher(selector)(scope)) matches.push(match.toString());
  results.push({ id: annotation.id, exact: selector.exact, hypothesis: range ? range.toString() : null, apache: matches });
}
process.stdout.write(JSON.stringify(results));
