/** Light, dark, or the system's choice; remembered on this computer. */
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'holdfast.theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [theme, setTheme] = useState<ThemeChoice>(stored);
  useEffect(() => {
    // The attribute always names the effective theme, so the stylesheet defines each palette once.
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => document.documentElement.setAttribute('data-theme', theme === 'system' ? (query.matches ? 'dark' : 'light') : theme);
    apply();
    if (theme === 'system') query.addEventListener('change', apply);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be unavailable; the choice then lasts for this session.
    }
    return () => query.removeEventListener('change', apply);
  }, [theme]);
  return [theme, setTheme];
}
