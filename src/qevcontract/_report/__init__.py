"""The reporting toolkit that validate's, check's and diff's reporters build on.

Each command keeps its own reporters (what a finding or a violation says is its business);
what the output formats demand is written once, here:

- `levels`: severities, and what SARIF and GitHub call them;
- `github`: workflow-command escaping and the annotation line;
- `sarif`: the log's `$schema`, artifact locations (relative to `%SRCROOT%`), rule levels;
- `envelope`: the one report-version scheme (`"MAJOR.MINOR"`) and the JSON reports' header;
- `junit`: XML text and attribute escaping, ASCII-safe;
- `summary`: counting words for the summary lines;
- `style`: colour decisions and styles, through click (NO_COLOR honoured).

Private: the formats' public face is each command's `report` package.
"""
