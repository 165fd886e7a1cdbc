package com.powerwatch.platform.web;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.Map;

/** What the 系统管理 and 运维 browser tests do with Element Plus widgets: pick an option, confirm a box, read a field's message. */
abstract class AdminBrowserTestBase extends BrowserTestBase {

    /** Opens an el-select (css of its root or its input) and clicks the visible option showing exactly {@code text}. */
    protected void choose(String selectCss, String text) {
        click(selectCss);
        clickXpath("//li[contains(@class,'el-select-dropdown__item')][normalize-space(.)='" + text + "']");
    }

    /** Types into a remote-search el-select and clicks the first visible option containing {@code text}. */
    protected void search(String selectCss, String typed, String text) {
        click(selectCss);
        type(selectCss + " input", typed);
        clickXpath("//li[contains(@class,'el-select-dropdown__item')][contains(normalize-space(.),'" + text + "')]");
    }

    /** Walks a region cascader: opens it, expands the given levels and ticks the last one. */
    protected void pickRegion(String cascaderCss, String... path) {
        click(cascaderCss + " .el-cascader");
        for (int i = 0; i < path.length - 1; i++) {
            clickXpath(node(path[i]) + "//span[contains(@class,'el-cascader-node__label')]");
        }
        clickXpath(node(path[path.length - 1]) + "//*[contains(@class,'el-checkbox') or contains(@class,'el-radio')]");
        // close the panel again: a click outside it (on the dialog's title, or the page's)
        java.util.List<WebElement> outside = new java.util.ArrayList<>(findAll(".el-dialog__title"));
        outside.addAll(findAll(".pw-card h3"));
        outside.stream().filter(WebElement::isDisplayed).findFirst().orElseThrow().click();
        waitUntil(d -> d.findElements(By.cssSelector(".el-cascader__dropdown")).stream().noneMatch(WebElement::isDisplayed),
                "the region panel closed");
    }

    private static String node(String label) {
        return "//li[contains(@class,'el-cascader-node')][.//span[contains(@class,'el-cascader-node__label')][normalize-space(.)='" + label + "']]";
    }

    protected void clickXpath(String xpath) {
        // a dropdown that is still being placed (a remote search's popper, on a loaded machine) lies under the dialog
        // for a moment: the click is intercepted, so find the option again and retry until it lands
        waitUntil(d -> {
            WebElement e = d.findElements(By.xpath(xpath)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
            if (e == null || !e.isEnabled()) {
                return false;
            }
            try {
                // options inside a scrolled list (the 31 provinces of a cascader) must be scrolled to first
                js("arguments[0].scrollIntoView({block: 'nearest'})", e);
                e.click();
                return true;
            } catch (org.openqa.selenium.ElementClickInterceptedException | org.openqa.selenium.StaleElementReferenceException notYet) {
                return false;
            }
        }, "clickable " + xpath);
    }

    /** Confirms the open ElMessageBox. */
    protected void confirmBox() {
        click(".el-message-box__btns .el-button--primary");
    }

    /** The message the API gives for a field, as the page must show it next to that field. */
    protected String apiMessage(Map<?, ?> errorBody) {
        Object m = errorBody.get("message");
        if (m == null) {
            throw new AssertionError("no message in " + errorBody);
        }
        return (String) m;
    }

    /** Waits until the form item labelled {@code label} shows {@code message} as its error. */
    protected void waitForFieldError(String label, String message) {
        waitUntil(d -> d.findElements(By.xpath("//div[contains(@class,'el-form-item') and contains(@class,'is-error')]"
                        + "[.//label[normalize-space(.)='" + label + "']]//div[contains(@class,'el-form-item__error')]")).stream()
                .anyMatch(e -> e.isDisplayed() && e.getText().contains(message)),
                "the error '" + message + "' next to " + label);
    }
}
