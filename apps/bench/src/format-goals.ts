import { formatRatio, textTable } from '@rmsprop/app-kit';
import type { GoalResult } from './goals.js';

/** The goals as a table (status, goal, target, measured, where the number comes from) and a count line. */
export function formatGoals(goals: readonly GoalResult[]): string {
  const rows = goals.map((g) => [g.status, g.title, g.target, g.measured === undefined ? '—' : formatRatio(g.measured), g.detail]);
  const table = textTable(['status', 'goal', 'target', 'measured', 'from'], rows, ['left', 'left', 'left', 'right', 'left']);
  const count = (status: GoalResult['status']): number => goals.filter((g) => g.status === status).length;
  return `${table}\n${count('met')} met, ${count('NOT met')} NOT met, ${count('not measured')} not measured`;
}
