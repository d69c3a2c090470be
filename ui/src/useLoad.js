import { useCallback, useEffect, useState } from 'react';
/** useLoad runs load when deps change and keeps its result, error and a reload. */
export function useLoad(load, deps) {
    const [state, setState] = useState({ loading: true });
    const [tick, setTick] = useState(0);
    useEffect(() => {
        const ctl = new AbortController();
        setState((s) => ({ ...s, loading: true }));
        load(ctl.signal).then((data) => !ctl.signal.aborted && setState({ data, loading: false }), (error) => !ctl.signal.aborted && setState({ error, loading: false }));
        return () => ctl.abort();
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [...deps, tick]);
    const reload = useCallback(() => setTick((n) => n + 1), []);
    return { ...state, reload };
}
