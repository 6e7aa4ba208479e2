#include <algorithm>
#include <vector>
#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>
#include "opencv_helper.h"

int vigil_hog_people_weights(float *out, int cap) {
    std::vector<float> w = cv::HOGDescriptor::getDefaultPeopleDetector();
    int n = (int)w.size();
    if (out != nullptr && cap >= n) {
        std::copy(w.begin(), w.end(), out);
    }
    return n;
}

// The detector is built once (thread-safe in C++11) with its weights copied into it;
// detectMultiScale is const, so concurrent calls are safe.
static const cv::HOGDescriptor &people_hog() {
    static const cv::HOGDescriptor hog = [] {
        cv::HOGDescriptor h;
        h.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
        return h;
    }();
    return hog;
}

int vigil_hog_detect(const unsigned char *grey, int width, int height, int stride,
                     double hit_threshold, double scale, int win_stride, double final_threshold,
                     int *rects, float *weights, int cap) {
    try {
        cv::Mat img(height, width, CV_8UC1, const_cast<unsigned char *>(grey), stride);
        std::vector<cv::Rect> found;
        std::vector<double> found_weights;
        people_hog().detectMultiScale(img, found, found_weights, hit_threshold,
                                      cv::Size(win_stride, win_stride), cv::Size(8, 8), scale,
                                      final_threshold, false);
        int n = (int)found.size();
        for (int i = 0; i < n && i < cap; i++) {
            rects[4 * i] = found[i].x;
            rects[4 * i + 1] = found[i].y;
            rects[4 * i + 2] = found[i].width;
            rects[4 * i + 3] = found[i].height;
            weights[i] = i < (int)found_weights.size() ? (float)found_weights[i] : 0.f;
        }
        return n;
    } catch (...) {
        return -1;
    }
}

void vigil_cv_set_threads(int n) { cv::setNumThreads(n); }
