package com.powerwatch.platform.registry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** Enterprises and everything registered below them. Reads: every role, scope-filtered. Writes: admin, operator, officer (in scope). */
@RestController
@RequestMapping("/api/registry")
@Tag(name = "Registry: enterprises", description = "企业、生产线、设施、数采仪、监测点、产治关联")
public class RegistryController {

    private final EnterpriseService enterprises;
    private final FacilityService facilities;
    private final PointService points;

    public RegistryController(EnterpriseService enterprises, FacilityService facilities, PointService points) {
        this.enterprises = enterprises;
        this.facilities = facilities;
        this.points = points;
    }

    // ---- enterprises

    @GetMapping("/enterprises")
    @Operation(summary = "List enterprises visible to the caller (paged, filters: district/city/province code, industry code or 门类 letter, status, name or credit code)")
    public EnterpriseService.Page list(@RequestParam(required = false) String districtCode, @RequestParam(required = false) String industryCode,
                                       @RequestParam(required = false) String status, @RequestParam(required = false) String q,
                                       @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return enterprises.list(districtCode, industryCode, status, q, page, size);
    }

    @GetMapping("/enterprises/{id}")
    @Operation(summary = "One enterprise with its production lines, facilities, data loggers, monitoring points and associations")
    public Map<String, Object> get(@PathVariable long id) {
        return enterprises.detail(id);
    }

    @PostMapping("/enterprises")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> create(@Valid @RequestBody EnterpriseRequest request) {
        return enterprises.create(request);
    }

    @PutMapping("/enterprises/{id}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> update(@PathVariable long id, @Valid @RequestBody EnterpriseRequest request) {
        return enterprises.update(id, request);
    }

    @DeleteMapping("/enterprises/{id}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Close an enterprise (status CLOSED; its history stays)")
    public Map<String, Object> close(@PathVariable long id) {
        return enterprises.close(id);
    }

    // ---- production lines

    @GetMapping("/enterprises/{id}/lines")
    public List<Map<String, Object>> lines(@PathVariable long id) {
        return facilities.lines(id);
    }

    @PostMapping("/enterprises/{id}/lines")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> createLine(@PathVariable long id, @Valid @RequestBody FacilityService.LineRequest request) {
        return facilities.createLine(id, request);
    }

    @GetMapping("/lines/{lineId}")
    public Map<String, Object> line(@PathVariable long lineId) {
        return facilities.line(lineId);
    }

    @PutMapping("/lines/{lineId}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> updateLine(@PathVariable long lineId, @Valid @RequestBody FacilityService.LineRequest request) {
        return facilities.updateLine(lineId, request);
    }

    @DeleteMapping("/lines/{lineId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public void deleteLine(@PathVariable long lineId) {
        facilities.deleteLine(lineId);
    }

    // ---- facilities

    @GetMapping("/enterprises/{id}/facilities")
    public List<Map<String, Object>> facilities(@PathVariable long id) {
        return facilities.facilities(id);
    }

    @PostMapping("/enterprises/{id}/facilities")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> createFacility(@PathVariable long id, @Valid @RequestBody FacilityRequest request) {
        return facilities.createFacility(id, request);
    }

    @GetMapping("/facilities/{facilityId}")
    public Map<String, Object> facility(@PathVariable long facilityId) {
        return facilities.facility(facilityId);
    }

    @PutMapping("/facilities/{facilityId}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> updateFacility(@PathVariable long facilityId, @Valid @RequestBody FacilityRequest request) {
        return facilities.updateFacility(facilityId, request);
    }

    @DeleteMapping("/facilities/{facilityId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public void deleteFacility(@PathVariable long facilityId) {
        facilities.deleteFacility(facilityId);
    }

    // ---- associations

    @GetMapping("/enterprises/{id}/associations")
    public List<Map<String, Object>> associations(@PathVariable long id) {
        return facilities.associations(id);
    }

    @PostMapping("/associations")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Associate a production facility with a treatment facility of the same enterprise (many-to-many)")
    public Map<String, Object> createAssociation(@Valid @RequestBody FacilityService.AssociationRequest request) {
        return facilities.createAssociation(request);
    }

    @PutMapping("/associations/{productionId}/{treatmentId}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> updateAssociation(@PathVariable long productionId, @PathVariable long treatmentId,
                                                 @Valid @RequestBody FacilityService.AssociationRequest request) {
        return facilities.updateAssociation(productionId, treatmentId, request);
    }

    @DeleteMapping("/associations/{productionId}/{treatmentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public void deleteAssociation(@PathVariable long productionId, @PathVariable long treatmentId) {
        facilities.deleteAssociation(productionId, treatmentId);
    }

    // ---- data loggers

    @GetMapping("/enterprises/{id}/data-loggers")
    public List<Map<String, Object>> dataLoggers(@PathVariable long id) {
        return points.dataLoggers(id);
    }

    @PostMapping("/enterprises/{id}/data-loggers")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    @Operation(summary = "Assign a data logger MN to the enterprise; without an MN one is allocated: district code + 8 random digits; the answer carries the generated access password (shown once)")
    public Map<String, Object> assign(@PathVariable long id, @Valid @RequestBody(required = false) PointService.DataLoggerRequest request) {
        return points.assign(id, request);
    }

    @GetMapping("/data-loggers/{mn}")
    public Map<String, Object> dataLogger(@PathVariable String mn) {
        return points.dataLogger(mn);
    }

    @PutMapping("/data-loggers/{mn}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> updateDataLogger(@PathVariable String mn, @Valid @RequestBody PointService.DataLoggerRequest request) {
        return points.updateDataLogger(mn, request);
    }

    @DeleteMapping("/data-loggers/{mn}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public void deleteDataLogger(@PathVariable String mn) {
        points.deleteDataLogger(mn);
    }

    // ---- monitoring points

    @GetMapping("/facilities/{facilityId}/points")
    public List<Map<String, Object>> points(@PathVariable long facilityId) {
        return points.points(facilityId);
    }

    @PostMapping("/facilities/{facilityId}/points")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> createPoint(@PathVariable long facilityId, @Valid @RequestBody PointService.PointRequest request) {
        return points.createPoint(facilityId, request);
    }

    @GetMapping("/points/{pointId}")
    public Map<String, Object> point(@PathVariable long pointId) {
        return points.point(pointId);
    }

    @PutMapping("/points/{pointId}")
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public Map<String, Object> updatePoint(@PathVariable long pointId, @RequestParam(required = false) Long facilityId,
                                           @Valid @RequestBody PointService.PointRequest request) {
        return points.updatePoint(pointId, facilityId, request);
    }

    @DeleteMapping("/points/{pointId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(RegistryRoles.ENTERPRISE_WRITE)
    public void deletePoint(@PathVariable long pointId) {
        points.deletePoint(pointId);
    }
}
