// The workspace file picker (docs/ARCHITECTURE.md, "Workspace file picker"): browse the folders the
// host lets this window use (EngineApi.listFolder) and choose a file or folder of the kinds asked for.
// A modal dialog driven by mouse or keyboard: arrows move, Enter chooses (or opens a folder that
// can't be chosen), → opens a folder, ← or Backspace goes up, Escape closes.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { FolderEntry, FolderEntryKind, FolderListing } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { FolderIcon, PictureIcon } from '../icons.tsx';

export interface WorkspaceFilePickerProps {
  /** The dialog's title and accessible name, e.g. "Choose a CSV file or image folder". */
  title: string;
  /** What may be chosen; folders of other kinds are still listed so the user can open them. */
  accept: readonly FolderEntryKind[];
  /** The folder shown first (e.g. the project's folder); default the workspace. */
  startFolder?: string;
  onPick(entry: FolderEntry): void;
  onClose(): void;
}

const KIND_LABEL: Record<FolderEntryKind, string> = {
  folder: 'folder',
  'image-folder': 'image folder',
  csv: 'CSV',
  image: 'image',
  onnx: 'ONNX model',
  'tfjs-model': 'tfjs model',
  project: 'project',
};

const KIND_ICON: Record<FolderEntryKind, ReactNode> = {
  folder: <FolderIcon />,
  'image-folder': <FolderIcon pictures />,
  csv: '▦',
  image: <PictureIcon />,
  onnx: '◆',
  'tfjs-model': '◆',
  project: '◇',
};

const isFolder = (e: FolderEntry) => e.kind === 'folder' || e.kind === 'image-folder';

export function WorkspaceFilePicker({
  title,
  accept,
  startFolder,
  onPick,
  onClose,
}: WorkspaceFilePickerProps) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const ids = useId();

  // Focus inside the dialog at once, so Escape closes it before the listing has loaded (the list
  // takes the focus when it arrives).
  useEffect(() => dialogRef.current?.focus(), []);

  const open = useCallback(async (folder?: string) => {
    setError(null);
    try {
      const next = await engine().listFolder(folder === undefined ? {} : { folder });
      setListing(next);
      setActive(0);
      listRef.current?.focus();
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    // A start folder that is gone (or not allowed) falls back to the workspace itself.
    void (async () => {
      try {
        setListing(await engine().listFolder(startFolder ? { folder: startFolder } : {}));
      } catch {
        await open();
      }
      listRef.current?.focus();
    })();
  }, [startFolder, open]);

  const visible = (listing?.entries ?? []).filter((e) => isFolder(e) || accept.includes(e.kind));
  const current = visible[Math.min(active, visible.length - 1)] as FolderEntry | undefined;
  const canChoose = (e: FolderEntry | undefined) => !!e && accept.includes(e.kind);

  const act = (e: FolderEntry | undefined) => {
    if (!e) return;
    if (canChoose(e)) onPick(e);
    else if (isFolder(e)) void open(e.path);
  };

  useEffect(() => {
    const el = current && document.getElementById(`${ids}-${visible.indexOf(current)}`);
    el?.scrollIntoView({ block: 'nearest' });
  });

  const onKeyDown = (e: React.KeyboardEvent) => {
    const last = visible.length - 1;
    const moves: Record<string, () => void> = {
      ArrowDown: () => setActive((i) => Math.min(last, i + 1)),
      ArrowUp: () => setActive((i) => Math.max(0, i - 1)),
      Home: () => setActive(0),
      End: () => setActive(Math.max(0, last)),
      Enter: () => act(current),
      ArrowRight: () => current && isFolder(current) && void open(current.path),
      ArrowLeft: () => listing?.parent !== undefined && void open(listing.parent),
      Backspace: () => listing?.parent !== undefined && void open(listing.parent),
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    e.stopPropagation();
    move();
  };

  const acceptText = accept.map((k) => KIND_LABEL[k]).join(' or ');
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        tabIndex={-1}
        className="modal file-picker"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="file-picker"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="modal__head">
          <h2>{title}</h2>
          <button className="btn btn--ghost modal__close" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="modal__body file-picker__body">
          <div className="file-picker__bar">
            <button
              className="btn"
              onClick={() => listing?.parent !== undefined && void open(listing.parent)}
              disabled={listing?.parent === undefined}
              aria-label="Up one folder"
              data-testid="file-picker-up"
            >
              ↑ Up
            </button>
            <span className="file-picker__folder" data-testid="file-picker-folder" title={listing?.folder}>
              {listing ? (listing.folder === '.' ? 'Workspace' : listing.folder) : 'Loading…'}
            </span>
          </div>
          {error && (
            <p className="param__error" role="alert" data-testid="file-picker-error">
              {error}
            </p>
          )}
          <ul
            ref={listRef}
            className="file-picker__list"
            role="listbox"
            tabIndex={0}
            aria-label={`Files and folders in ${listing?.folder === '.' ? 'the workspace' : (listing?.folder ?? 'the workspace')}`}
            aria-activedescendant={current ? `${ids}-${visible.indexOf(current)}` : undefined}
            onKeyDown={onKeyDown}
            data-testid="file-picker-list"
          >
            {visible.map((e, i) => (
              <li
                key={e.path}
                id={`${ids}-${i}`}
                role="option"
                aria-selected={e === current}
                className={`file-picker__entry ${e === current ? 'is-active' : ''}`}
                onClick={() => setActive(i)}
                onDoubleClick={() => act(e)}
                data-testid={`file-picker-entry-${e.name}`}
                data-kind={e.kind}
              >
                <span className="file-picker__icon" aria-hidden="true">
                  {KIND_ICON[e.kind]}
                </span>
                <span className="file-picker__name">{e.name}</span>
                <span className="file-picker__kind muted">{KIND_LABEL[e.kind]}</span>
              </li>
            ))}
          </ul>
          {listing && visible.length === 0 && (
            <p className="muted" data-testid="file-picker-empty">
              Nothing here to choose ({acceptText}).
            </p>
          )}
          {listing?.truncated && (
            <p className="muted">This folder holds more entries than are listed; open a sub-folder.</p>
          )}
          <footer className="file-picker__actions">
            <span className="muted file-picker__hint">
              {current ? (canChoose(current) ? current.path : `Open ${current.name} to look inside`) : ''}
            </span>
            <button
              className="btn"
              onClick={() => current && isFolder(current) && void open(current.path)}
              disabled={!current || !isFolder(current)}
              data-testid="file-picker-open"
            >
              Open folder
            </button>
            <button className="btn" onClick={onClose} data-testid="file-picker-cancel">
              Cancel
            </button>
            <button
              className="btn btn--primary"
              onClick={() => current && canChoose(current) && onPick(current)}
              disabled={!canChoose(current)}
              data-testid="file-picker-choose"
            >
              Choose
            </button>
          </footer>
        </div>
      </div>
    </div>
  );
}
