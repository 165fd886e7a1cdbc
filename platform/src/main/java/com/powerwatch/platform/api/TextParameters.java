package com.powerwatch.platform.api;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

import java.beans.PropertyEditorSupport;

/**
 * Text request parameters bound by Spring — also the text fields of a multipart form, which {@link RequestTextGuard}
 * does not read — holding a NUL or another control character are refused: 400 naming the parameter.
 */
@ControllerAdvice
public class TextParameters {

    @InitBinder
    void refuseControlCharacters(WebDataBinder binder) {
        binder.registerCustomEditor(String.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                int c = ControlCharacters.first(text);
                if (c >= 0) {
                    throw new ControlCharacters.Refused(c);
                }
                setValue(text);
            }
        });
    }
}
