/** A person's photo, or their initials on a colour derived from the name when there is none. */
// Each dark enough for white initials at 4.5:1 (WCAG AA), even at the list's small size.
const COLORS = ['#5676a7', '#577e5a', '#9c6950', '#8567aa', '#417e7e', '#9f6378', '#6f7a46'];

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  // A visitor label ("#5A40CE") reads better as its first two characters than as one.
  if (first.startsWith('#')) return first.slice(1, 3).toUpperCase();
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return [first, last]
    .map((word) => (word ? ([...word][0] ?? '') : ''))
    .join('')
    .toUpperCase();
}

function colorOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return COLORS[hash % COLORS.length] ?? '#666';
}

export function Avatar({ name, url, size }: { name: string; url: string | null; size: number }) {
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  if (url) return <img className="avatar" src={url} alt="" width={size} height={size} style={style} />;
  return (
    <span className="avatar initials" aria-hidden="true" style={{ ...style, background: colorOf(name) }}>
      {initials(name)}
    </span>
  );
}
