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

/** Code lists (regions, industries) and the factor dictionary: readable by all, written by admin and operator. */
@RestController
@RequestMapping("/api/registry")
@Tag(name = "Registry: code lists and factor dictionary", description = "行政区划、行业分类、因子字典")
public class DictionaryController {

    private final CodeListService codes;
    private final FactorDictionary dictionary;

    public DictionaryController(CodeListService codes, FactorDictionary dictionary) {
        this.codes = codes;
        this.dictionary = dictionary;
    }

    @GetMapping("/regions")
    @Operation(summary = "Regions: the provinces, or the children of parentCode, or one level; q matches name or code")
    public List<Map<String, Object>> regions(@RequestParam(required = false) String parentCode, @RequestParam(required = false) Integer level,
                                             @RequestParam(required = false) String q) {
        return codes.regions(parentCode, level, q);
    }

    @GetMapping("/regions/{code}")
    public Map<String, Object> region(@PathVariable String code) {
        return codes.region(code);
    }

    @PostMapping("/regions")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.DICTIONARY_WRITE)
    public Map<String, Object> createRegion(@Valid @RequestBody CodeListService.RegionRequest request) {
        return codes.saveRegion(request.code(), request, true);
    }

    @PutMapping("/regions/{code}")
    @PreAuthorize(RegistryRoles.DICTIONARY_WRITE)
    public Map<String, Object> updateRegion(@PathVariable String code, @Valid @RequestBody CodeListService.RegionRequest request) {
        return codes.saveRegion(code, request, false);
    }

    @GetMapping("/industries")
    @Operation(summary = "GB/T 4754-2017 industries by code prefix, name, level (1 门类 … 4 小类) or parent")
    public List<Map<String, Object>> industries(@RequestParam(required = false) String code, @RequestParam(required = false) String q,
                                                @RequestParam(required = false) Integer level, @RequestParam(required = false) String parentCode) {
        return codes.industries(code, q, level, parentCode);
    }

    @GetMapping("/industries/{code}")
    public Map<String, Object> industry(@PathVariable String code) {
        return codes.industry(code);
    }

    @GetMapping("/industries/{code}/children")
    public List<Map<String, Object>> industryChildren(@PathVariable String code) {
        codes.industry(code);
        return codes.industries(null, null, null, code);
    }

    @GetMapping("/canonical-quantities")
    public List<Map<String, Object>> quantities() {
        return dictionary.quantities();
    }

    @GetMapping("/factor-profiles")
    public List<Map<String, Object>> profiles() {
        return dictionary.profiles();
    }

    @GetMapping("/factor-profiles/{code}")
    public Map<String, Object> profile(@PathVariable String code) {
        return dictionary.profile(code);
    }

    @PostMapping("/factor-profiles")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize(RegistryRoles.DICTIONARY_WRITE)
    public Map<String, Object> createProfile(@Valid @RequestBody FactorDictionary.ProfileRequest request) {
        return dictionary.create(request);
    }

    @PutMapping("/factor-profiles/{code}")
    @PreAuthorize(RegistryRoles.DICTIONARY_WRITE)
    public Map<String, Object> updateProfile(@PathVariable String code, @Valid @RequestBody FactorDictionary.ProfileRequest request) {
        return dictionary.update(code, request);
    }

    @DeleteMapping("/factor-profiles/{code}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(RegistryRoles.DICTIONARY_WRITE)
    public void deleteProfile(@PathVariable String code) {
        dictionary.delete(code);
    }

    @PostMapping("/factor-profiles/{code}/preview")
    @Operation(summary = "What a profile makes of a CP string (e.g. DataTime=20261123100000;100000-Ia=12.5,100000-Pt=3.2) for a channel and CT/PT")
    public Map<String, Object> preview(@PathVariable String code, @Valid @RequestBody FactorDictionary.PreviewRequest request) {
        return dictionary.preview(code, request);
    }
}
