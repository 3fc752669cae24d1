// The reference renderer for Herald's Markdown tests: markdown-it 14 (CommonMark preset plus
// GFM strikethrough) with markdown-it-cjk-friendly 3, as pinned by package-lock.json.
// Reads a JSON array of Markdown strings on stdin, writes a JSON array of HTML strings.
// Run from tests/suite/md_diff.rs and tests/suite/commonmark.rs.
import markdownit from "markdown-it";
import cjkFriendly from "markdown-it-cjk-friendly";

const md = markdownit("commonmark").enable("strikethrough").use(cjkFriendly);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const inputs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
process.stdout.write(JSON.stringify(inputs.map((s) => md.render(s))));
