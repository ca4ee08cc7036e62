import { useState } from 'react';

interface UrlFormProps {
  placeholder: string;
  label: string;
  testId: string;
  disabled: boolean;
  /** Why it is disabled (shown as the button's tooltip). */
  disabledReason?: string;
  onLoad: (url: string) => void;
}

/** A URL field with its Load button (shards' manifest, a model folder). */
export function UrlForm({ placeholder, label, testId, disabled, disabledReason, onLoad }: UrlFormProps) {
  const [url, setUrl] = useState('');
  return (
    <form
      className="url-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (url.trim()) onLoad(url.trim());
      }}
    >
      <input type="url" placeholder={placeholder} aria-label={label} data-testid={testId} value={url} onChange={(e) => setUrl(e.target.value)} />
      <button type="submit" disabled={disabled || !url.trim()} title={disabled ? disabledReason : !url.trim() ? `Type a ${label} first` : undefined}>
        Load
      </button>
    </form>
  );
}
