package com.powerwatch.platform.registry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Learned thresholds: compute a proposal from a facility's history, review, accept (optionally edited) or reject.
 * Reads: every role, scope-filtered. Compute and decisions: who may edit the facility (admin, operator, officer in scope).
 */
@RestController
@RequestMapping("/api/registry")
@Tag(name = "Registry: learned thresholds", description = "学习阈值：由设施历史用电提出启停/异常阈值，经运维人员审核后生效")
public class ThresholdProposalController {

    private final ThresholdProposals proposals;

    public ThresholdProposalController(ThresholdProposals proposals) {
        this.proposals = proposals;
    }

    @PostMapping("/facilities/{facilityId}/threshold-proposals")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Learn thresholds from the facility's history now (body optional: {days}); 422 CANNOT_LEARN with the reason")
    public Map<String, Object> compute(@PathVariable long facilityId,
                                       @Valid @RequestBody(required = false) ThresholdProposals.ComputeRequest request) {
        return proposals.compute(facilityId, request == null ? null : request.days());
    }

    @GetMapping("/facilities/{facilityId}/threshold-proposals")
    @Operation(summary = "The facility's proposals, newest first")
    public List<Map<String, Object>> ofFacility(@PathVariable long facilityId) {
        return proposals.ofFacility(facilityId);
    }

    @GetMapping("/threshold-proposals")
    @Operation(summary = "Review list: proposals of the enterprises in the caller's scope (status=PROPOSED for the open ones), paged")
    public EnterpriseService.Page list(@RequestParam(required = false) String status, @RequestParam(required = false) String districtCode,
                                       @RequestParam(required = false) Long enterpriseId,
                                       @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return proposals.list(status, districtCode, enterpriseId, page, size);
    }

    @GetMapping("/threshold-proposals/{proposalId}")
    public Map<String, Object> get(@PathVariable long proposalId) {
        return proposals.get(proposalId);
    }

    @PostMapping("/threshold-proposals/{proposalId}/accept")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Accept: write stopBelow/runAbove/abnormalBelow/normalRunning (the proposal's, or the values given) to the facility")
    public Map<String, Object> accept(@PathVariable long proposalId,
                                      @Valid @RequestBody(required = false) ThresholdProposals.AcceptRequest request) {
        return proposals.accept(proposalId, request);
    }

    @PostMapping("/threshold-proposals/{proposalId}/reject")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Reject with a note (required)")
    public Map<String, Object> reject(@PathVariable long proposalId, @Valid @RequestBody ThresholdProposals.RejectRequest request) {
        return proposals.reject(proposalId, request);
    }
}
