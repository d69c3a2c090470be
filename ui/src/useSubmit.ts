import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from './components';

/** A form's sending state. */
export interface Submitting {
  busy: boolean;
  /** what went wrong, in words for the person; '' when nothing did */
  error: string;
  setError(message: string): void;
  /** onSubmit for a <form>: prevents the page load, runs the action, keeps busy and error */
  submit(e: FormEvent): Promise<void>;
}

/**
 * useSubmit runs action when the form is sent, disabling the form while it
 * runs and keeping the problem it ends with, so every small form of the app
 * behaves alike.
 */
export function useSubmit(action: () => Promise<void>): Submitting {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, submit };
}
