// The handling actions as the phone pages offer them (the PC's AlarmActions has the same set; the API decides).
import type { AlarmAction } from '@/api/alarms'

export type SheetMode = AlarmAction | 'photo'

export const SHEET_TITLES: Record<SheetMode, string> = {
  confirm: '确认报警', cancel: '取消报警', handle: '处理报警', dispatch: '派发任务', feedback: '反馈办理情况',
  verify: '核查', review: '审核', reason: '异常申报', photo: '现场拍照',
}

export const TEXT_LABELS: Record<SheetMode, string> = {
  confirm: '备注（可选）', cancel: '取消原因（可选）', handle: '处理意见', dispatch: '派发说明（可选）', feedback: '办理情况',
  verify: '核查说明（可选）', review: '审核意见（退回时必填）', reason: '情况说明', photo: '',
}

/** Which actions take photos: the steps done on site (the photos go to the alarm as its next steps). */
export const TAKES_PHOTOS = new Set<SheetMode>(['handle', 'feedback', 'verify', 'reason', 'photo'])
