const MARKERS: Record<string, string> = { " ": "·", "\t": "→", "\n": "↵", "\r": "␍" };

/**
 * Makes whitespace visible, as the token visualizer shows it: "·" for a space, "→" for a tab,
 * "↵" for a newline, "␍" for a carriage return. Other characters are kept.
 */
export function visibleWhitespace(text: string): string {
  return text.replace(/[ \t\n\r]/g, (c) => MARKERS[c]!);
}
