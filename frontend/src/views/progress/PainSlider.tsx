import { useId } from 'react';
import { painValueText } from './pain';
import './progress.css';

/**
 * The 0-10 pain scale as a native range input: arrows, Page Up/Down, Home and End work, and
 * aria-valuetext makes each step announce its number and words ("3: uncomfortable pain").
 * The ends of the scale are labelled in words beside the slider.
 */
export function PainSlider({
  label,
  value,
  onChange,
  hint,
  disabled,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  hint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const scaleId = `${id}-scale`;
  return (
    <div className="field pain-slider">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="pain-row">
        <input
          id={id}
          type="range"
          min={0}
          max={10}
          step={1}
          value={value}
          disabled={disabled}
          aria-valuetext={painValueText(value)}
          aria-describedby={[hint ? hintId : '', scaleId].filter(Boolean).join(' ')}
          onChange={(event) => onChange(Number(event.target.value))}
        />
        <output htmlFor={id} className="pain-value" aria-hidden="true">
          {value}
        </output>
      </div>
      <p className="pain-scale hint" id={scaleId}>
        <span>0 no pain</span>
        <span>10 worst pain imaginable</span>
      </p>
      <p className="pain-words" aria-hidden="true">
        {painValueText(value)}
      </p>
    </div>
  );
}
