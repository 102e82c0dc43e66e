import type { AvailableSlotsQuery } from '../../gql/graphql';
import { describeZone, formatTimeRange, groupSlotsByDay, zoneAbbreviation } from './schedule';

type SlotsPayload = Extract<AvailableSlotsQuery['availableSlots'], { __typename: 'AvailableSlots' }>;
export type Slot = SlotsPayload['slots'][number];

export function slotKey(slot: Slot): string {
  return `${slot.therapist.id}|${slot.startsAt}|${slot.telehealth ? 'video' : (slot.location?.id ?? '')}`;
}

export function slotPlace(slot: Slot): string {
  if (slot.telehealth) return 'Telehealth (video)';
  return slot.location ? slot.location.name : 'At the clinic';
}

/**
 * Free times grouped by day: each day is a disclosure (the first open), holding that day's times
 * as radio buttons. Arrow keys move between times, Tab moves on to the next day; labels wrap at
 * 320 px. Only the days a person opens are in the tab order, so a long list stays quick to cross.
 */
export function SlotList({
  slots,
  timeZone,
  selected,
  onSelect,
}: {
  slots: readonly Slot[];
  timeZone: string;
  selected: string | null;
  onSelect: (slot: Slot) => void;
}) {
  const days = groupSlotsByDay(slots, timeZone);
  const first = slots[0];
  return (
    <div className="slot-list">
      <p className="hint" id="slot-zone">
        Times are shown in {describeZone(timeZone)}
        {first ? `, ${zoneAbbreviation(first.startsAt, timeZone)}` : ''}.
      </p>
      {days.map((day, index) => (
        <details key={day.day} className="slot-day" open={index === 0 || day.slots.some((slot) => slotKey(slot) === selected)}>
          <summary>
            {day.label} <span className="meta">({day.slots.length === 1 ? '1 free time' : `${day.slots.length} free times`})</span>
          </summary>
          <fieldset>
            <legend className="visually-hidden">Free times on {day.label}</legend>
            <ul>
            {day.slots.map((slot) => {
              const key = slotKey(slot);
              const id = `slot-${key.replace(/[^\w-]/g, '_')}`;
              return (
                <li key={key}>
                  <input
                    type="radio"
                    name="slot"
                    id={id}
                    value={key}
                    checked={selected === key}
                    onChange={() => onSelect(slot)}
                  />
                  <label htmlFor={id}>
                    <span className="slot-time">{formatTimeRange(slot.startsAt, slot.endsAt, timeZone)}</span>
                    <span className="slot-who">
                      {slot.therapist.name}, {slotPlace(slot)}
                    </span>
                  </label>
                </li>
              );
            })}
            </ul>
          </fieldset>
        </details>
      ))}
    </div>
  );
}
