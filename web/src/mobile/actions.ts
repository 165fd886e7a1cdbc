// The handling actions as the phone pages offer them: the PC's set and words (components/alarm/labels.ts), with the
// phone's own few differences.
import { ACTION_TITLES, type ActionMode } from '@/components/alarm/labels'

export type SheetMode = ActionMode

export const SHEET_TITLES: Record<SheetMode, string> = { ...ACTION_TITLES, photo: '现场拍照' }

/** Which actions take photos: the steps done on site (the photos go to the alarm as its next steps). */
export const TAKES_PHOTOS = new Set<SheetMode>(['handle', 'feedback', 'verify', 'reason', 'photo'])
