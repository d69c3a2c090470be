import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// Writing on a request as staff: a public reply to the requester (the
// owner's alone) or an internal note the requester never sees. The two look
// different while being written, so nobody sends a note to the requester by
// mistake.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorSummary } from '../components';
import { useSubmit } from '../useSubmit';
export function Composer({ request, owner, done }) {
    const { t } = useTranslation();
    const [kind, setKind] = useState(owner ? 'reply' : 'note');
    const [body, setBody] = useState('');
    const [ask, setAsk] = useState(false);
    const { busy, error, submit } = useSubmit(async () => {
        await api.post(`/requests/${encodeURIComponent(request)}/messages`, { kind, body: body.trim(), await: kind === 'reply' && ask ? true : undefined });
        setBody('');
        setAsk(false);
        done(t(kind === 'reply' ? 'work.composer.replied' : 'work.composer.noted'));
    });
    return (_jsxs("form", { onSubmit: submit, className: `stack composer composer-${kind}`, "data-testid": "composer", children: [_jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsxs("fieldset", { children: [_jsx("legend", { children: t('work.composer.kind') }), _jsxs("label", { children: [_jsx("input", { type: "radio", name: "kind", value: "reply", checked: kind === 'reply', disabled: !owner, onChange: () => setKind('reply'), "data-testid": "kind-reply" }), t('work.composer.reply')] }), _jsxs("label", { children: [_jsx("input", { type: "radio", name: "kind", value: "note", checked: kind === 'note', onChange: () => setKind('note'), "data-testid": "kind-note" }), t('work.composer.note')] }), !owner && _jsx("p", { className: "muted", children: t('work.composer.notOwner') })] }), _jsx("label", { htmlFor: "body", children: t(kind === 'reply' ? 'work.composer.replyLabel' : 'work.composer.noteLabel') }), _jsx("textarea", { id: "body", rows: 4, value: body, onChange: (e) => setBody(e.target.value), maxLength: 20000, required: true }), kind === 'reply' && (_jsxs("label", { children: [_jsx("input", { type: "checkbox", checked: ask, onChange: (e) => setAsk(e.target.checked) }), t('work.composer.await')] })), _jsx("button", { type: "submit", className: "primary", disabled: busy || !body.trim(), "data-testid": "send", children: t(kind === 'reply' ? 'work.composer.sendReply' : 'work.composer.sendNote') })] }));
}
