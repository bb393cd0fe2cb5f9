// kubectl's AGE column: Kubernetes' HumanDuration (apimachinery's duration.HumanDuration), so our tables
// read like kubectl's. Pure; the status renderers and the sandbox's server-side Table printing share it.

/** kubectl's human duration: `45s`, `3m20s`, `5h`, `3d4h`, `400d`, `2y10d`; `<invalid>` well in the future. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  // A clock skew of up to a second reads as 0s, more as <invalid>, as in kubectl.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
