import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from './components';
/**
 * useSubmit runs action when the form is sent, disabling the form while it
 * runs and keeping the problem it ends with, so every small form of the app
 * behaves alike.
 */
export function useSubmit(action) {
    const { t } = useTranslation();
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    async function submit(e) {
        e.preventDefault();
        setBusy(true);
        setError('');
        try {
            await action();
        }
        catch (err) {
            setError(problemText(err, t));
        }
        finally {
            setBusy(false);
        }
    }
    return { busy, error, setError, submit };
}
