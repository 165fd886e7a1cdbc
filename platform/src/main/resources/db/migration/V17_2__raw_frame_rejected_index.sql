-- The enterprise page (一企一档) counts each data logger's rejected frames of today. Rejected frames are rare, so a
-- partial index keeps that count an index probe instead of a scan of the day's frames, at no cost for valid frames.
create index raw_frame_rejected on raw_frame (mn, received_at desc) where verdict <> 'VALID';
