package com.powerwatch.platform.emergency.board;

import com.powerwatch.platform.emergency.EmergencyRoles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** 应急看板 of a warning. */
@RestController
@RequestMapping("/api/emergency/warnings")
@PreAuthorize(EmergencyRoles.OFFICERS)
@Tag(name = "Emergency: live board", description = "应急看板：每家企业的措施、基线、当前功率、削减比例、达标判定与报警；区县与绩效等级执行率")
public class BoardController {

    private final Board board;
    private final com.powerwatch.platform.emergency.warning.Warnings warnings;

    public BoardController(Board board, com.powerwatch.platform.emergency.warning.Warnings warnings) {
        this.board = board;
        this.warnings = warnings;
    }

    @GetMapping("/{id:\\d+}/board")
    @Operation(summary = "The live board (verdict COMPLIANT 达标 | NON_COMPLIANT 未达标 | UNDETERMINED 无法判断 | NOT_STARTED | SELF); "
            + "filters district, grade, verdict, measure, q; the enterprise list paged, non-compliant first")
    public Map<String, Object> board(@PathVariable long id, @RequestParam(required = false) String district,
                                     @RequestParam(required = false) String grade, @RequestParam(required = false) String verdict,
                                     @RequestParam(required = false) String measure, @RequestParam(required = false) String q,
                                     @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        warnings.get(id); // 404 outside the caller's districts
        return board.board(id, new Board.Query(district, grade, verdict, measure, q, page, size));
    }
}
