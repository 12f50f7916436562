/**
 * The ASCII letter-and-digit runs every match of a regular expression must contain, so a
 * `/regex/` needs to read only the messages whose indexed terms contain them (`\bkick\w*` reads
 * the messages holding a term with "kick", not every message).
 *
 * Why the index answers this: the tokenizer keeps a run of ASCII letters and digits together
 * inside one term, lower-cased, whatever surrounds it (tokenize.ts; `WA0012.jpg` → `wa0012 jpg`,
 * `価格abc123` → `価格 abc123`), and indexes the same fields the scan reads. A term is cut at
 * MAX_TERM_LENGTH characters, so terms that long are always candidates. Under the `i` flag RE2
 * also matches K (Kelvin) for k and ſ for s; the tokenizer folds both to ASCII.
 *
 * Conservative by construction: only runs outside groups and classes are taken, a character made
 * optional by `?`, `*` or `{0,…}` is dropped, and a pattern with an alternation or `\Q…\E`
 * anywhere yields none (it is then scanned over every candidate, as before).
 */

/** Shorter runs select too many terms to be worth it. */
const MIN_LENGTH = 3;

export function requiredLiterals(pattern: string): string[] {
  if (pattern.includes('|') || pattern.includes('\\Q')) return [];
  const out: string[] = [];
  let run = '';
  let depth = 0;
  const end = () => {
    if (depth === 0 && run.length >= MIN_LENGTH) out.push(run.toLowerCase());
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      end();
      const n = pattern[i + 1] ?? '';
      if ((n === 'p' || n === 'P' || n === 'x') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 2);
        if (close < 0) return [];
        i = close;
      } else if (n === 'p' || n === 'P') i += 2;
      else if (n === 'x') i += 3;
      else if (/[0-9]/.test(n)) {
        i++;
        while (/[0-9]/.test(pattern[i + 1] ?? '')) i++;
      } else i++;
      continue;
    }
    if (c === '[') {
      end();
      const close = classEnd(pattern, i);
      if (close < 0) return [];
      i = close;
      continue;
    }
    if (c === '(') {
      end();
      depth++;
      continue;
    }
    if (c === ')') {
      end();
      depth--;
      continue;
    }
    if (c === '?' || c === '*') {
      run = run.slice(0, -1);
      end();
      continue;
    }
    if (c === '{') {
      const rep = /^\{(\d+)(?:,\d*)?\}/.exec(pattern.slice(i));
      if (rep) {
        if (Number(rep[1]) === 0) run = run.slice(0, -1);
        i += rep[0].length - 1;
      }
      end();
      continue;
    }
    if (depth === 0 && /[A-Za-z0-9]/.test(c)) {
      run += c;
      continue;
    }
    // `+` keeps its character (at least once); anything else (., ^, $, space, punctuation) ends the run.
    end();
  }
  end();
  return out;
}

/** The index of the `]` closing the class opened at `open`, or -1. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === ']') return i;
  }
  return -1;
}
