import { jsx as _jsx } from "react/jsx-runtime";
// An Apache ECharts chart, imported piece by piece from echarts/core so the
// bundle carries only the line and bar charts, the parts of a chart the
// dashboard uses and the canvas renderer.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
/**
 * Chart draws option and redraws when it changes or the chart's box is
 * resized (a phone turned, the window narrowed). label names it for
 * screen readers; the table below the charts carries the same numbers.
 */
export function Chart({ option, label, testid }) {
    const box = useRef(null);
    const chart = useRef(null);
    useEffect(() => {
        if (!box.current)
            return;
        const c = echarts.init(box.current);
        chart.current = c;
        const watch = new ResizeObserver(() => c.resize());
        watch.observe(box.current);
        return () => {
            watch.disconnect();
            c.dispose();
            chart.current = null;
        };
    }, []);
    useEffect(() => {
        chart.current?.setOption(option, { notMerge: true });
    }, [option]);
    return _jsx("div", { ref: box, className: "chart", role: "img", "aria-label": label, "data-testid": testid });
}
