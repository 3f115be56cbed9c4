// Alerts: what makes a counsellor look up from another tab or window. For every new visitor in
// the queue and every new message from a visitor the desk reports (StaffDesk.OnAlert), a short
// tone (Web Audio, made here: nothing is fetched) and, when the console is not in view and the
// counsellor allowed it once, a desktop notification. The notification never names the visitor
// nor quotes them: a screen or a phone's lock screen may be seen by others.
// The tab title counts both (TitleFor). No DOM beyond the title and notifications, no Preact.

import { t } from '../shared/i18n.js';

const kSoundKey = 'uitweg.console.sound';

// "(2 · 3) Uitweg – console": who waits, and messages not yet read.
export function TitleFor(waiting, unread) {
  if (!waiting && !unread) return t('console.title');
  if (!unread) return `(${waiting}) ${t('console.title')}`;
  return `(${waiting} · ${t('alerts.titleUnread', { n: unread })}) ${t('console.title')}`;
}

export class Alerts {
  constructor() {
    this.context_ = null;
    this.soundOn = localStorage.getItem(kSoundKey) !== 'off';
    this.permission = 'Notification' in window ? Notification.permission : 'unsupported';
  }

  // Browsers let a page make sound only after the person did something on it.
  Unlock() {
    if (!this.soundOn || !('AudioContext' in window)) return;
    if (!this.context_) this.context_ = new AudioContext();
    // Made before a gesture (a reloaded page), it waits suspended until one comes.
    if (this.context_.state === 'suspended') this.context_.resume().catch(() => {});
  }

  SetSound(on) {
    this.soundOn = on;
    localStorage.setItem(kSoundKey, on ? 'on' : 'off');
    if (on) this.Unlock();
  }

  // Asks, once, whether the console may show desktop notifications.
  async AskPermission() {
    if (this.permission !== 'default') return this.permission;
    this.permission = await Notification.requestPermission();
    return this.permission;
  }

  // `alert.kind`: 'visitor' (someone new waits) or 'message' (a visitor wrote).
  Raise(alert) {
    this.Tone(alert.kind === 'visitor' ? [660, 880] : [880]);
    if (this.permission !== 'granted' || document.visibilityState === 'visible') return;
    const body = alert.kind === 'visitor' ? t('alerts.newVisitor') : t('alerts.newMessage');
    const notification = new Notification(t('console.title'), { body, tag: `uitweg-${alert.kind}` });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  }

  Tone(frequencies) {
    if (!this.soundOn || !this.context_) return;
    const context = this.context_;
    let at = context.currentTime;
    for (const frequency of frequencies) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.15);
      at += 0.17;
    }
  }
}
