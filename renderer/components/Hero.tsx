/** The welcome screens' heading (the open screen, a matter server's sign-in page): the mark, the name and a line under it. */
export function Hero({ tagline }: { tagline: string }) {
  return (
    <div className="hero">
      <span className="brand-mark" aria-hidden="true">H</span>
      <div>
        <h1 style={{ margin: 0 }}>Holdfast</h1>
        <div className="muted">{tagline}</div>
      </div>
    </div>
  );
}
