// What the CLI prints from the datastore (tags, parameter values, previews, names) is data, not
// terminal commands: control characters are shown escaped (`\x1b`), so a tag holding an escape
// sequence cannot retitle the terminal or colour the rest of the output. A step's own log output
// is not passed through here: it is shown as the step wrote it.

// C0 controls, DEL and C1 controls; with `keepNewlines`, line feeds pass through.
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const CONTROL_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

function escape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** `text` with every control character escaped (a table cell, a name: one line). */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? CONTROL_BUT_NEWLINE : CONTROL, escape);
}
