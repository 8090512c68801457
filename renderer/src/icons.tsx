// Small icons drawn as SVG: Debian's Chromium has no emoji font, so emoji (a padlock, a folder, a
// picture) show there as empty boxes. They take the text colour.
const common = { 'aria-hidden': true, className: 'icon' } as const;

export function LockIcon() {
  return (
    <svg width="11" height="12" viewBox="0 0 11 12" {...common}>
      <path d="M3 5.5V3.6a2.5 2.5 0 0 1 5 0v1.9" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="1" y="5.2" width="9" height="6.3" rx="1.3" fill="currentColor" />
    </svg>
  );
}

export function FolderIcon({ pictures = false }: { pictures?: boolean }) {
  return (
    <svg width="14" height="12" viewBox="0 0 14 12" {...common}>
      <path
        d="M1 2.2C1 1.5 1.5 1 2.2 1h3l1.3 1.5h5.3c.7 0 1.2.5 1.2 1.2v6.1c0 .7-.5 1.2-1.2 1.2H2.2C1.5 11 1 10.5 1 9.8z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.2"
      />
      {pictures && <path d="M3.5 9.3l2.3-2.6 1.6 1.7 1.2-1.1 2 2z" fill="currentColor" />}
    </svg>
  );
}

export function PictureIcon() {
  return (
    <svg width="14" height="12" viewBox="0 0 14 12" {...common}>
      <rect x="1" y="1" width="12" height="10" rx="1.2" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <circle cx="4.5" cy="4.2" r="1.2" fill="currentColor" />
      <path d="M2.5 9.5l3-3.2 2 2 1.6-1.5 2.4 2.7z" fill="currentColor" />
    </svg>
  );
}
