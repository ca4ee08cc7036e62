import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { drawLossCurve, type LossCurveData } from '../draw/loss-curve';
import { useLab } from '../store';

/** The live loss curve: picks plain arrays out of the store and hands them to the draw module. */
export function LossCurve() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { history, totalSteps } = useLab(useShallow((s) => ({ history: s.history, totalSteps: s.totalSteps })));

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const data: LossCurveData = {
      steps: history.map((m) => m.step),
      maxStep: totalSteps,
      series: [
        { label: 'loss', color: '#1f6feb', values: history.map((m) => m.loss) },
        { label: 'MSE', color: '#d9480f', dashed: true, values: history.map((m) => m.mse) },
      ],
    };
    const draw = () => drawLossCurve(element, data);
    draw();
    const resize = new ResizeObserver(draw);
    resize.observe(element);
    return () => resize.disconnect();
  }, [history, totalSteps]);

  return <canvas ref={canvas} className="loss-curve" data-testid="loss-curve" data-points={history.length} />;
}
